using HyOpps.TestUtilities;
using HyOpps.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HyOpps.Workflows.Tests.Runtime;

/// <summary>Store errors met by the runtime while it runs executions: they are the runtime's to recover from, never a step's failure.</summary>
public sealed class StoreErrorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CommittingAnAttemptsStart_StoreFails_NotRecordedAsTheStepsFailure_ExecutionRunsOnceTheStoreRecovers()
    {
        var time = new FakeTimeProvider(T0);
        var runs = new RunLog();
        // The first commit of a claimed execution is its first step's start (with the claim's own transition).
        var store = new InterceptingStore().FailCall(nameof(IWorkflowStore.CommitAsync), 1);
        await using var host = await WorkflowTestHost.StartAsync(
            h =>
            {
                h.AddWorkflow("greeting", wf => wf.Step("greet", (c, _) =>
                {
                    runs.Record(c.ExecutionId, c.StepId);
                    return ValueTask.FromResult(StepResult.Succeeded());
                }));
                h.DecorateStore(store.Wrap);
            },
            time: time);

        var id = (await host.Client.StartJsonAsync("greeting", "{}", cancellationToken: Ct)).ExecutionId;

        // The error reaches the runner, which gives the execution up without writing anything: the step did not run.
        // (Waits for an attempt too, so that a runtime recording the error as the step's failure fails below, not by a timeout.)
        var stuck = await Eventually.UntilAsync(
            async () => (Logged: RunnerFailed(host, id), Execution: (await host.Client.GetAsync(id, Ct))!),
            seen => seen.Logged || seen.Execution.GetStep("greet").Attempts.Count > 0,
            "the store error to reach the runner");
        Assert.Empty(stuck.Execution.GetStep("greet").Attempts);
        Assert.Equal(ExecutionStatus.Pending, stuck.Execution.Status);
        Assert.Equal(0, runs.Runs(id, "greet"));

        // Its claim's lease runs out, and a worker takes it again on the store that is back.
        time.Advance(host.Services.GetRequiredService<IOptions<HyOppsOptions>>().Value.LeaseDuration + TimeSpan.FromSeconds(1));
        var done = await host.Client.WaitForCompletionAsync(id, Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        var attempt = Assert.Single(done.GetStep("greet").Attempts);
        Assert.Equal((1, AttemptOutcome.Succeeded, null), (attempt.Number, attempt.Outcome, attempt.Error));
        Assert.Equal(1, runs.Runs(id, "greet"));
        Assert.True(store.Calls(nameof(IWorkflowStore.CommitAsync)) >= 2);
    }

    private static bool RunnerFailed(WorkflowTestHost host, string id)
        => host.Logs.GetSnapshot().Any(r => r.Message == $"The runner of execution {id} failed." && r.Exception is InterceptingStore.StoreDownException);
}
