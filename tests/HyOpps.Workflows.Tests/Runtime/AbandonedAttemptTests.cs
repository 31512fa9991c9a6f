using HyOpps.TestUtilities;

namespace HyOpps.Workflows.Tests.Runtime;

/// <summary>Issue 15, item 3: attempts whose host stopped are abandoned, not failed, and a crash loop ends the execution.</summary>
public sealed class AbandonedAttemptTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HostStoppedDuringTheStepAgainAndAgain_AttemptsAreAbandonedNotFailed_UntilTheCrashLoopLimitFailsTheExecution()
    {
        using var database = new TestDatabase();
        string? id = null;
        for (var stop = 1; stop <= 3; stop++)
        {
            using var running = new SemaphoreSlim(0);
            await using (var host = await StartAsync(database, running))
            {
                id ??= (await host.Client.StartJsonAsync("hang", "{}", cancellationToken: Ct)).ExecutionId;
                Assert.True(await running.WaitAsync(TimeSpan.FromSeconds(30), Ct), $"attempt {stop} did not start");
            }

            await using var reader = await StartAsync(database, running, runWorker: false);
            var detail = (await reader.Client.GetAsync(id, Ct))!;

            // The policy allows one attempt, yet every stop leaves the step to run again: abandoned attempts are not failures.
            Assert.Equal(ExecutionStatus.Pending, detail.Status);
            Assert.Equal(stop, detail.Steps[0].Attempts.Count);
            Assert.All(detail.Steps[0].Attempts, a => Assert.Equal(AttemptOutcome.Abandoned, a.Outcome));
        }

        using var never = new SemaphoreSlim(0);
        await using var last = await StartAsync(database, never);
        var failed = await last.Client.WaitForCompletionAsync(id!, Ct).WaitAsync(TimeSpan.FromSeconds(60), Ct);

        Assert.Equal(ExecutionStatus.Failed, failed.Status);
        Assert.Contains("Step 'hang' was abandoned 3 times: the worker kept stopping during this step", failed.Error, StringComparison.Ordinal);
        Assert.Equal(0, never.CurrentCount);
        Assert.Equal(3, failed.Steps[0].Attempts.Count);
    }

    [Fact]
    public async Task HostStoppedBetweenSteps_HandsTheExecutionBack_AnotherWorkerGoesOnWithoutWaitingForTheLease()
    {
        using var database = new TestDatabase();
        using var running = new SemaphoreSlim(0);
        var ranBy = new System.Collections.Concurrent.ConcurrentQueue<string>();
        Task<WorkflowTestHost> Start(string worker) => WorkflowTestHost.StartAsync(
            h => h.AddWorkflow("two", wf => wf
                .Step("s0", async (_, ct) =>
                {
                    ranBy.Enqueue($"s0@{worker}");
                    running.Release();

                    // The step finishes its work although the host stops meanwhile: the stop comes between s0 and s1.
                    await Task.Delay(Timeout.Infinite, ct).ContinueWith(static _ => { }, TaskScheduler.Default);
                    return StepResult.Succeeded();
                })
                .Step("s1", (_, _) =>
                {
                    ranBy.Enqueue($"s1@{worker}");
                    return ValueTask.FromResult(StepResult.Succeeded());
                })),
            o =>
            {
                o.WorkerId = worker;

                // Far longer than the test may wait: only a handed-back execution can move on in time.
                o.LeaseDuration = TimeSpan.FromMinutes(10);
            },
            connectionString: database.ConnectionString);

        var a = await Start("a");
        string id;
        await using (a)
        {
            id = (await a.Client.StartJsonAsync("two", "{}", cancellationToken: Ct)).ExecutionId;
            Assert.True(await running.WaitAsync(TimeSpan.FromSeconds(30), Ct), "s0 did not start");
        }

        await using var b = await Start("b");
        var done = await b.Client.WaitForCompletionAsync(id, Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        Assert.Equal(["s0@a", "s1@b"], ranBy);
        var s0 = Assert.Single(done.Steps[0].Attempts);
        Assert.Equal((AttemptOutcome.Succeeded, "a"), (s0.Outcome, s0.WorkerId));
        Assert.Equal("b", Assert.Single(done.Steps[1].Attempts).WorkerId);
    }

    private static Task<WorkflowTestHost> StartAsync(TestDatabase database, SemaphoreSlim running, bool runWorker = true)
        => WorkflowTestHost.StartAsync(
            h => h.AddWorkflow("hang", wf => wf.Step(
                "hang",
                async (_, ct) =>
                {
                    running.Release();
                    await Task.Delay(Timeout.Infinite, ct);
                    return StepResult.Succeeded();
                },
                s => s.WithRetry(RetryPolicy.None))),
            o =>
            {
                o.MaxAbandonedAttempts = 3;
                o.RunWorker = runWorker;
            },
            connectionString: database.ConnectionString);
}
