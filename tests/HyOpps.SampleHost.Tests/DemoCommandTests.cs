using System.Diagnostics;

namespace HyOpps.SampleHost.Tests;

public sealed class DemoCommandTests
{
    [Fact]
    public async Task Demo_BuiltSampleAsChildProcess_OnboardsEverywhereAndExitsZero()
    {
        var dll = Path.Combine(SampleHostProcess.SampleFolder(), "HyOpps.SampleHost.dll");
        Assert.True(File.Exists(dll), $"The sample host is not built at {dll}.");

        // The demo must not need integration settings of the machine it runs on (the start removes them).
        var start = SampleHostProcess.NewStartInfo(dll);
        start.ArgumentList.Add("demo");

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(4));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var text = await output;
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{text}\n{await errors}");
        Assert.Contains("Demo passed", text, StringComparison.Ordinal);
        foreach (var step in new[] { "validate_partner_user", "create_partner_user", "create_metabase_account", "add_user_to_metabase_group", "invite_to_teams",
            "add_user_to_teams_channel", "add_user_to_slack_group", "add_user_to_atlassian_group", "share_documentation" })
        {
            Assert.Contains(step, text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("[FAILED]", text, StringComparison.Ordinal);
    }
}
