using HyOpps.TestUtilities;
using HyOpps.Workflows.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HyOpps.Workflows.Tests.Runtime;

/// <summary>The retention hosted service and its options: ages per status and per workflow, passes on a fake clock, store errors.</summary>
public sealed class RetentionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HostedService_DeletesEachStatusAtItsAge_PerWorkflowOverride_OnlyAtEachInterval()
    {
        var time = new FakeTimeProvider(T0);
        await using var host = await WorkflowTestHost.StartAsync(Workflows, o =>
        {
            o.Retention.Interval = TimeSpan.FromDays(30);
            o.Retention.Workflows["offboard"] = new WorkflowRetentionOptions { SucceededAge = TimeSpan.FromDays(7) };
        }, time);
        var onboard = await RunAsync(host, "onboard", 2);
        var offboard = await RunAsync(host, "offboard", 2);
        var failed = await RunAsync(host, "failing", 1);
        Assert.Equal(ExecutionStatus.Failed, (await host.Client.GetAsync(failed[0], Ct))!.Status);
        var retention = host.Services.GetRequiredService<IExecutionRetention>();

        time.Advance(TimeSpan.FromDays(8));

        // The dry run sees the offboardings past their 7 days; the pass waits for the interval, so nothing is gone yet.
        var expired = Assert.Single(await retention.CountExpiredAsync(Ct));
        Assert.Equal(("offboard", ExecutionStatus.Succeeded, 2L, T0.AddDays(1)), (expired.WorkflowName, expired.Status, expired.Count, expired.FinishedBefore));
        Assert.Equal(4, await CountAsync(host, offboard.Concat(onboard)));

        time.Advance(TimeSpan.FromDays(22));  // T0 + 30 days: the second pass
        await Eventually.UntilAsync(() => CountAsync(host, offboard), n => n == 0, "the expired offboardings to be deleted");
        Assert.Equal(2, await CountAsync(host, onboard));
        // The pass logs after its deletions commit: wait for the line rather than race it.
        await Eventually.UntilAsync(
            () => Task.FromResult(host.Logs.GetSnapshot().Any(r => r.Message.Contains("Retention deleted 2 Succeeded executions of offboard", StringComparison.Ordinal))),
            logged => logged,
            "the deletion to be logged");

        time.Advance(TimeSpan.FromDays(90));  // T0 + 120 days: succeeded onboardings expired (90), the failure not (365)
        await Eventually.UntilAsync(() => CountAsync(host, onboard), n => n == 0, "the expired onboardings to be deleted");
        Assert.Equal(1, await CountAsync(host, failed));
        Assert.Empty(await retention.CountExpiredAsync(Ct));
    }

    [Fact]
    public async Task HostedService_StoreError_IsLoggedAndRetriedAtTheNextInterval_HostKeepsRunning()
    {
        var time = new FakeTimeProvider(T0);
        var down = true;
        var store = new InterceptingStore().FailWhile(nameof(IWorkflowStore.DeleteFinishedExecutionsAsync), () => Volatile.Read(ref down));
        await using var host = await WorkflowTestHost.StartAsync(
            h => { Workflows(h); h.DecorateStore(store.Wrap); },
            o => o.Retention.Interval = TimeSpan.FromDays(1),
            time);

        // The pass at start-up met the failing store: logged as a warning, and the host goes on running executions.
        await Eventually.UntilAsync(() => Task.FromResult(host.Logs.GetSnapshot().Count(r => r.Message.StartsWith("A retention pass failed", StringComparison.Ordinal))), n => n >= 1, "the failed pass to be logged");
        var ids = await RunAsync(host, "onboard", 1);
        Volatile.Write(ref down, false);

        time.Advance(TimeSpan.FromDays(91));
        await Eventually.UntilAsync(() => CountAsync(host, ids), n => n == 0, "the next pass to delete the expired execution");
        Assert.True(store.Calls(nameof(IWorkflowStore.DeleteFinishedExecutionsAsync)) >= 2);
    }

    [Fact]
    public async Task Disabled_DeletesNothing()
    {
        var time = new FakeTimeProvider(T0);
        await using var host = await WorkflowTestHost.StartAsync(Workflows, o => { o.Retention.Enabled = false; o.Retention.Interval = TimeSpan.FromDays(1); }, time);
        var ids = await RunAsync(host, "onboard", 1);

        time.Advance(TimeSpan.FromDays(400));
        await RunAsync(host, "onboard", 1);  // the runtime went on meanwhile

        Assert.Equal(1, await CountAsync(host, ids));
        Assert.Single(await host.Services.GetRequiredService<IExecutionRetention>().CountExpiredAsync(Ct));
    }

    [Fact]
    public void Options_BindFromHyOppsRuntimeRetention_WithDefaults()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["HyOpps:Runtime:Retention:FailedAge"] = "30.00:00:00",
            ["HyOpps:Runtime:Retention:BatchSize"] = "100",
            ["HyOpps:Runtime:Retention:Workflows:offboard:SucceededAge"] = "7.00:00:00",
        }).Build());
        services.AddHyOpps();
        using var provider = services.BuildServiceProvider();

        var retention = provider.GetRequiredService<IOptions<HyOppsOptions>>().Value.Retention;

        Assert.Equal((true, TimeSpan.FromDays(90), TimeSpan.FromDays(30), TimeSpan.FromDays(365), 100, TimeSpan.FromHours(1)),
            (retention.Enabled, retention.SucceededAge, retention.FailedAge, retention.CancelledAge, retention.BatchSize, retention.Interval));
        Assert.Equal(TimeSpan.FromDays(7), retention.Workflows["offboard"].SucceededAge);
        Assert.Null(retention.Workflows["offboard"].FailedAge);
    }

    [Fact]
    public void Options_BadValues_FailAtStartNamingEachKey()
    {
        var services = new ServiceCollection();
        services.AddHyOpps(o =>
        {
            o.Retention.BatchSize = 0;
            o.Retention.Interval = TimeSpan.Zero;
            o.Retention.SucceededAge = TimeSpan.FromDays(-1);
            o.Retention.Workflows["offboard"] = new WorkflowRetentionOptions { CancelledAge = TimeSpan.Zero };
        });
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("HyOpps:Runtime:Retention:BatchSize must be between 1 and 10000 (was '0')", ex.Message, StringComparison.Ordinal);
        Assert.Contains("HyOpps:Runtime:Retention:Interval must be positive", ex.Message, StringComparison.Ordinal);
        Assert.Contains("HyOpps:Runtime:Retention:SucceededAge must be positive (was '-1.00:00:00')", ex.Message, StringComparison.Ordinal);
        Assert.Contains("HyOpps:Runtime:Retention:Workflows:offboard:CancelledAge must be positive", ex.Message, StringComparison.Ordinal);
    }

    private static void Workflows(IHyOppsBuilder h)
    {
        h.AddWorkflow("onboard", wf => wf.Step("greet", (_, _) => ValueTask.FromResult(StepResult.Succeeded())));
        h.AddWorkflow("offboard", wf => wf.Step("bye", (_, _) => ValueTask.FromResult(StepResult.Succeeded())));
        h.AddWorkflow("failing", wf => wf.Step("broken", (_, _) => throw StepException.NotConfigured("Not configured.")));
    }

    private static async Task<string[]> RunAsync(WorkflowTestHost host, string workflow, int count)
    {
        var ids = new string[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = (await host.Client.StartJsonAsync(workflow, "{}", cancellationToken: Ct)).ExecutionId;
            await host.Client.WaitForCompletionAsync(ids[i], Ct);
        }

        return ids;
    }

    private static async Task<int> CountAsync(WorkflowTestHost host, IEnumerable<string> ids)
    {
        var found = 0;
        foreach (var id in ids)
        {
            found += await host.Client.GetAsync(id, Ct) is null ? 0 : 1;
        }

        return found;
    }
}
