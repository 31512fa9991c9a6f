using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using HyOpps.SampleHost.Demo;

namespace HyOpps.SampleHost.Tests;

public sealed class DemoCommandTests
{
    private static readonly string[] FlowSteps = ["validate_partner_user", "create_partner_user", "create_metabase_account", "add_user_to_metabase_group",
        "invite_to_teams", "add_user_to_teams_channel", "add_user_to_slack_group", "add_user_to_atlassian_group", "share_documentation", "complete_partner_user"];

    [Fact]
    public async Task Demo_BuiltSampleAsChildProcess_OnboardsEverywhereAndExitsZero()
    {
        var dll = Path.Combine(SampleHostProcess.SampleFolder(), "HyOpps.SampleHost.dll");
        Assert.True(File.Exists(dll), $"The sample host is not built at {dll}.");

        // The demo must not need integration settings of the machine it runs on (the start removes them).
        var start = SampleHostProcess.NewStartInfo(dll);
        start.ArgumentList.Add("demo");

        var (exitCode, text, errors) = await SampleHostProcess.RunToExitAsync(start, TimeSpan.FromMinutes(4));
        Assert.True(exitCode == 0, $"exit {exitCode}\n{text}\n{errors}");
        Assert.Contains("Demo passed", text, StringComparison.Ordinal);
        Assert.DoesNotContain("[FAILED]", text, StringComparison.Ordinal);
        AssertNarrated(text);
    }

    [Fact]
    public async Task Demo_Json_PrintsOnlyTheFinalExecutionDetailAndNarratesToTheOtherWriter()
    {
        using var output = new StringWriter();
        using var narration = new StringWriter();

        var exitCode = await DemoCommand.RunAsync(["--json"], output, narration, TestContext.Current.CancellationToken);

        Assert.True(exitCode == 0, narration.ToString());
        using var json = JsonDocument.Parse(output.ToString());
        var execution = json.RootElement;
        Assert.Equal("new_partner_user", execution.GetProperty("workflow_name").GetString());
        Assert.Equal("succeeded", execution.GetProperty("status").GetString());
        var steps = execution.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(FlowSteps, steps.Select(s => s.GetProperty("id").GetString()));
        Assert.All(steps, s => Assert.Equal("succeeded", s.GetProperty("status").GetString()));
        Assert.Equal(JsonValueKind.Object, steps[2].GetProperty("output").ValueKind);
        AssertNarrated(narration.ToString());
    }

    // The narration: a line per step transition, no line wider than a 100-column terminal, and where to look next.
    private static void AssertNarrated(string text)
    {
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.All(lines, l => Assert.True(l.Length <= ConsoleText.Width, $"{l.Length} columns: {l}"));
        foreach (var step in FlowSteps)
        {
            Assert.Contains(lines, l => Regex.IsMatch(l, $@"^\s+\d+ {step}\s+started$"));
            Assert.Contains(lines, l => Regex.IsMatch(l, $@"^\s+\d+ {step}\s+succeeded in \d"));
        }

        // A retried step says why in words before it succeeds (the sandbox's Teams guest is not visible at once).
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^\s+6 add_user_to_teams_channel\s+attempt 1 failed, retrying( in [0-9.]+ m?s)?: \w+"));
        var next = lines.FindIndex(l => l == "Next:");
        Assert.True(next > 0, text);
        var tail = string.Join("\n", lines.Skip(next));
        Assert.Contains("dotnet run --project samples/HyOpps.SampleHost", tail, StringComparison.Ordinal);
        Assert.Contains("/hyopps", tail, StringComparison.Ordinal);
        Assert.Contains("admin / sandbox-admin", tail, StringComparison.Ordinal);
    }
}
