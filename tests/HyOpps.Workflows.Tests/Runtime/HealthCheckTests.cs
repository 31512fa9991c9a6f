using HyOpps.TestUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;

namespace HyOpps.Workflows.Tests.Runtime;

public sealed class HealthCheckTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunningHost_IsHealthy_AndEachCheckSaysWhy()
    {
        await using var host = await StartAsync();

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal(["hyopps-executions", "hyopps-integrations", "hyopps-store", "hyopps-worker"], report.Entries.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("schema is current", report.Entries["hyopps-store"].Description, StringComparison.Ordinal);
        Assert.Contains("is running", report.Entries["hyopps-worker"].Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IntegrationMissingASetting_IsDegradedNamingTheKey_NotUnhealthy()
    {
        await using var host = await StartAsync(services: s => s.TryAddEnumerable(ServiceDescriptor.Singleton<IHyOppsIntegrationCheck>(new FakeIntegration("Slack", "HyOpps:Slack:BotToken"))));

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);

        var entry = report.Entries["hyopps-integrations"];
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains("Slack (set HyOpps:Slack:BotToken)", entry.Description, StringComparison.Ordinal);
        Assert.Equal("missing HyOpps:Slack:BotToken", entry.Data["Slack"]);
        Assert.Equal(HealthStatus.Degraded, report.Status);
    }

    [Fact]
    public async Task ExecutionsDueAndUnclaimedPastStuckAfter_AreDegradedWithTheirCount()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        await using var host = await StartAsync(o => o.RunWorker = false, time);
        await host.Client.StartJsonAsync("wf", "{}", cancellationToken: Ct);
        await host.Client.StartJsonAsync("wf", "{}", cancellationToken: Ct);
        var health = host.Services.GetRequiredService<HealthCheckService>();

        var fresh = (await health.CheckHealthAsync(Ct)).Entries["hyopps-executions"];
        time.Advance(TimeSpan.FromMinutes(6));
        var stuck = (await health.CheckHealthAsync(Ct)).Entries["hyopps-executions"];

        Assert.Equal(HealthStatus.Healthy, fresh.Status);
        Assert.Equal(2, fresh.Data["due"]);
        Assert.Equal(HealthStatus.Degraded, stuck.Status);
        Assert.Equal(2, stuck.Data["stuck"]);
        Assert.StartsWith("2 executions have been due and unclaimed for longer than 00:05:00", stuck.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkerNotStarted_IsUnhealthy()
    {
        using var host = WorkflowTestHost.Build(Configure, null, null, s => s.AddHealthChecks().AddHyOppsHealthChecks(), null, out var database, out _);
        using var owned = database;

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Name == "hyopps-worker", Ct);

        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Equal("The worker is not running.", report.Entries["hyopps-worker"].Description);
    }

    private static void Configure(IHyOppsBuilder h) => h.AddWorkflow("wf", wf => wf.Step("s", (_, _) => ValueTask.FromResult(StepResult.Succeeded())));

    private static Task<WorkflowTestHost> StartAsync(Action<HyOppsOptions>? options = null, TimeProvider? time = null, Action<IServiceCollection>? services = null)
        => WorkflowTestHost.StartAsync(Configure, options, time, s =>
        {
            s.AddHealthChecks().AddHyOppsHealthChecks();
            services?.Invoke(s);
        });

    private sealed class FakeIntegration(string name, params string[] missing) : IHyOppsIntegrationCheck
    {
        public string Name => name;

        public IReadOnlyList<string> GetMissingSettings() => missing;
    }
}
