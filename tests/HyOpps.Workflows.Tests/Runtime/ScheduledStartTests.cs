using HyOpps.TestUtilities;
using Microsoft.Extensions.Time.Testing;

namespace HyOpps.Workflows.Tests.Runtime;

/// <summary>Executions started with <see cref="StartExecutionOptions.NotBefore"/>: not run before then, startable now, cancellable.</summary>
public sealed class ScheduledStartTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NotBefore_RunsOnlyOnceTheClockReachesIt_AndSaysScheduledMeanwhile()
    {
        var time = new FakeTimeProvider(T0);
        var calls = 0;
        await using var host = await WorkflowTestHost.StartAsync(Counting(() => calls++), time: time);
        var at = T0.AddDays(6);

        var id = (await host.Client.StartJsonAsync("onboard", "{}", new StartExecutionOptions { NotBefore = at }, Ct)).ExecutionId;
        var scheduled = await host.Client.GetAsync(id, Ct);

        Assert.Equal((ExecutionStatus.Pending, at), (scheduled!.Status, scheduled.NextRunAt));
        Assert.Equal("Scheduled for 2026-12-07 09:00:00Z (first step 'greet').", scheduled.WaitingOn);
        var listed = await host.Client.ListAsync(new ExecutionQuery { NextRunAfter = time.GetUtcNow() }, Ct);
        Assert.Equal((id, (DateTimeOffset?)at), (Assert.Single(listed.Items).Id, listed.Items[0].NextRunAt));

        time.Advance(TimeSpan.FromDays(6) - TimeSpan.FromSeconds(1));
        await host.Client.StartJsonAsync("onboard", "{}", cancellationToken: Ct);  // runs at once; proves the worker ran meanwhile
        await Eventually.UntilAsync(() => Task.FromResult(Volatile.Read(ref calls)), c => c == 1, "the unscheduled execution to run");
        Assert.Equal(ExecutionStatus.Pending, (await host.Client.GetAsync(id, Ct))!.Status);

        time.Advance(TimeSpan.FromSeconds(1));
        var done = await host.Client.WaitForCompletionAsync(id, Ct);
        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        Assert.Equal(2, calls);
        Assert.Contains(done.Audit, a => a.Action == "start" && a.Detail!.Contains("scheduled for 2026-12-07 09:00:00Z", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartNow_RunsAScheduledExecutionAtOnce_AndIsAudited()
    {
        var time = new FakeTimeProvider(T0);
        var calls = 0;
        await using var host = await WorkflowTestHost.StartAsync(Counting(() => calls++), time: time);
        var id = (await host.Client.StartJsonAsync("onboard", "{}", new StartExecutionOptions { NotBefore = T0.AddDays(30) }, Ct)).ExecutionId;

        await host.Client.StartNowAsync(id, new OperatorAction("ops", "The partner asked for it today."), Ct);
        var done = await host.Client.WaitForCompletionAsync(id, Ct);

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        Assert.Equal(1, calls);
        var audit = Assert.Single(done.Audit, a => a.Action == "start_now");
        Assert.Equal(("ops", "The partner asked for it today."), (audit.Actor, audit.Reason));
        var again = await Assert.ThrowsAsync<ExecutionStateException>(() => host.Client.StartNowAsync(id, new OperatorAction("ops"), Ct));
        Assert.Contains("not scheduled for later", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_AScheduledExecution_NeverRuns()
    {
        var time = new FakeTimeProvider(T0);
        var calls = 0;
        await using var host = await WorkflowTestHost.StartAsync(Counting(() => calls++), time: time);
        var id = (await host.Client.StartJsonAsync("onboard", "{}", new StartExecutionOptions { NotBefore = T0.AddHours(1) }, Ct)).ExecutionId;

        var cancelled = await host.Client.CancelAsync(id, new OperatorAction("ops", "Start date moved."), Ct);
        time.Advance(TimeSpan.FromHours(2));
        var other = (await host.Client.StartJsonAsync("onboard", "{}", cancellationToken: Ct)).ExecutionId;
        await host.Client.WaitForCompletionAsync(other, Ct);

        Assert.Equal(ExecutionStatus.Cancelled, cancelled.Status);
        Assert.Equal(ExecutionStatus.Cancelled, (await host.Client.GetAsync(id, Ct))!.Status);
        Assert.Equal(1, calls);
    }

    private static Action<IHyOppsBuilder> Counting(Action called)
        => h => h.AddWorkflow("onboard", wf => wf.Step("greet", (_, _) =>
        {
            called();
            return ValueTask.FromResult(StepResult.Succeeded());
        }));
}
