using HyOpps.Workflows;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyOpps.SampleHost.Tests;

public sealed class SandboxModeTests
{
    [Fact]
    public void From_NoIntegrationInProduction_RefusesNamingTheSettings()
    {
        var ex = Assert.Throws<SampleHostSettingsException>(() => SampleHostSettings.From(Config(), "Production"));

        Assert.Contains("no integration is configured", ex.Message, StringComparison.Ordinal);
        foreach (var setting in SampleHostSettings.IntegrationSections.Concat(SampleHostSettings.IntegrationFallbackKeys).Append("HyOpps:Sandbox=true"))
        {
            Assert.Contains(setting, ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void From_NoIntegrationInDevelopment_ChoosesSandbox()
    {
        var settings = SampleHostSettings.From(Config(), "Development");

        Assert.True(settings.Sandbox);
        Assert.Contains("Development", settings.SandboxReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HyOpps:Metabase:BaseUrl", "https://metabase.example.com")]
    [InlineData("HyOpps:Slack:BotToken", "xoxb-1")]
    [InlineData("SLACK_BOT_TOKEN", "xoxb-1")]
    [InlineData("SMTP_HOST", "smtp.example.com")]
    public void From_AnIntegrationConfigured_UsesRealServicesInAnyEnvironment(string key, string value)
    {
        foreach (var environment in new[] { "Production", "Development" })
        {
            var settings = SampleHostSettings.From(Config((key, value)), environment);

            Assert.False(settings.Sandbox);
            Assert.Contains(key.Split(':')[0] == "HyOpps" ? string.Join(':', key.Split(':')[..2]) : key, settings.SandboxReason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void From_SandboxChosen_OverridesTheDetection()
    {
        Assert.True(SampleHostSettings.From(Config(("HyOpps:Slack:BotToken", "xoxb-1"), ("HyOpps:Sandbox", "true")), "Production").Sandbox);
        Assert.True(SampleHostSettings.From(Config(("HyOpps:Sandbox", "true")), "Production").Sandbox);
        Assert.False(SampleHostSettings.From(Config(("HyOpps:Sandbox", "false")), "Development").Sandbox);
        var ex = Assert.Throws<SampleHostSettingsException>(() => SampleHostSettings.From(Config(("HyOpps:Sandbox", "maybe")), "Production"));
        Assert.Contains("HyOpps:Sandbox must be true or false (was 'maybe')", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_NoIntegrationInProduction_RefusesToStart()
    {
        var ex = await Assert.ThrowsAsync<SampleHostSettingsException>(() => SampleHostApp.BuildAsync(
            [],
            b => b.Environment.EnvironmentName = "Production",
            TestContext.Current.CancellationToken));

        Assert.Contains("HyOpps:Sandbox=true", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_NoIntegrationInProduction_PrintsOneParagraphNamingTheSettings_NoStackTrace_ExitsNonZero()
    {
        var dll = Path.Combine(SampleHostProcess.SampleFolder(), "HyOpps.SampleHost.dll");
        Assert.True(File.Exists(dll), $"The sample host is not built at {dll}.");
        var start = SampleHostProcess.NewStartInfo(dll);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        var (exitCode, output, errors) = await SampleHostProcess.RunToExitAsync(start, TimeSpan.FromMinutes(2));

        var message = errors.Trim();
        Assert.True(exitCode == SampleHostSettingsException.ExitCode, $"exit {exitCode}\n{output}\n{errors}");
        Assert.DoesNotContain('\n', message);
        Assert.DoesNotContain("Unhandled exception", message, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", message, StringComparison.Ordinal);
        foreach (var setting in SampleHostSettings.IntegrationSections.Append("HyOpps:Sandbox=true"))
        {
            Assert.Contains(setting, message, StringComparison.Ordinal);
        }

        Assert.Equal(string.Empty, output.Trim());
    }

    [Fact]
    public async Task Start_Sandbox_SaysSoInTheLog()
    {
        await using var host = await SampleTestHost.StartAsync();

        Assert.Contains(host.Logs.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Message.StartsWith("Sandbox mode", StringComparison.Ordinal)
            && r.Message.Contains("simulators", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_Sandbox_KeepsLeasesShortSoAKilledHostResumesSoon()
    {
        await using var host = await SampleTestHost.StartAsync();

        Assert.Equal(TimeSpan.FromSeconds(15), host.Services.GetRequiredService<IOptions<HyOppsOptions>>().Value.LeaseDuration);
    }

    [Fact]
    public async Task Start_RuntimeSection_SetsTheWorkflowRuntimeOptions()
    {
        await using var host = await SampleTestHost.StartAsync(settings: new Dictionary<string, string?>
        {
            [$"{SampleHostApp.RuntimeSection}:LeaseDuration"] = "00:00:07",
            [$"{SampleHostApp.RuntimeSection}:MaxConcurrentExecutions"] = "5",
        });

        var options = host.Services.GetRequiredService<IOptions<HyOppsOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(7), options.LeaseDuration);
        Assert.Equal(5, options.MaxConcurrentExecutions);
    }

    [Fact]
    public async Task Start_RuntimeSectionMalformed_FailsNamingTheKey()
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => SampleTestHost.StartAsync(settings: new Dictionary<string, string?>
        {
            [$"{SampleHostApp.RuntimeSection}:LeaseDuration"] = "soon",
        }));

        Assert.Contains($"{SampleHostApp.RuntimeSection}:LeaseDuration", ex.ToString(), StringComparison.Ordinal);
    }

    private static IConfiguration Config(params (string Key, string Value)[] values)
        => new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
