using System.Collections.Concurrent;
using HyOpps.TestUtilities;
using HyOpps.Workflows.Storage;

namespace HyOpps.Workflows.Tests.Runtime;

public sealed class MultiWorkerTests
{
    private const string SingleRead = nameof(IWorkflowStore.GetExecutionRecordAsync);
    private const string BatchRead = nameof(IWorkflowStore.GetExecutionRecordsAsync);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WaitForCompletion_ExecutionRunHere_ReadsItsRowOnce()
    {
        var counter = new InterceptingStore();
        await using var host = await WorkflowTestHost.StartAsync(h =>
        {
            h.AddWorkflow("here", wf => wf.Step("s0", (_, _) => ValueTask.FromResult(StepResult.Succeeded())).Step("s1", (_, _) => ValueTask.FromResult(StepResult.Succeeded())));
            h.DecorateStore(counter.Wrap);
        });

        for (var i = 0; i < 5; i++)
        {
            var id = (await host.Client.StartJsonAsync("here", "{}", cancellationToken: Ct)).ExecutionId;
            Assert.Equal(ExecutionStatus.Succeeded, (await host.Client.WaitForCompletionAsync(id, Ct)).Status);
        }

        Assert.True(counter.Calls(SingleRead) <= 5, $"expected at most one row read per wait, got {counter.Calls(SingleRead)}");
    }

    [Fact]
    public async Task WaitForCompletion_RightAfterAStartThisProcessRuns_ReadsNoRow()
    {
        var counter = new InterceptingStore();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await WorkflowTestHost.StartAsync(h =>
        {
            h.AddWorkflow("quick", wf => wf.Step("s0", (_, _) => ValueTask.FromResult(StepResult.Succeeded())));
            h.AddWorkflow("held", wf => wf.Step("s0", async (_, ct) =>
            {
                started.TrySetResult();
                await release.Task.WaitAsync(ct);
                return StepResult.Succeeded();
            }));
            h.DecorateStore(counter.Wrap);
        });

        // One execution first, so that the worker is known to take starts into its own slots.
        var first = (await host.Client.StartJsonAsync("quick", "{}", cancellationToken: Ct)).ExecutionId;
        await host.Client.WaitForCompletionAsync(first, Ct);
        var readsBefore = counter.Calls(SingleRead);

        var id = (await host.Client.StartJsonAsync("held", "{}", cancellationToken: Ct)).ExecutionId;
        var wait = host.Client.WaitForCompletionAsync(id, Ct);
        await started.Task.WaitAsync(TimeSpan.FromMinutes(1), Ct);
        release.TrySetResult();

        Assert.Equal(ExecutionStatus.Succeeded, (await wait.WaitAsync(TimeSpan.FromMinutes(1), Ct)).Status);
        Assert.Equal(readsBefore, counter.Calls(SingleRead));
    }

    [Fact]
    public async Task WaitersOfExecutionsRunElsewhere_AreWokenByOneSharedPoll_NotOneReadPerWaiter()
    {
        using var database = new TestDatabase();
        using var gate = new SemaphoreSlim(0);
        var counter = new InterceptingStore();
        void Configure(IHyOppsBuilder h) => h.AddWorkflow("elsewhere", wf => wf.Step("s0", async (_, ct) =>
        {
            await gate.WaitAsync(ct);
            return StepResult.Succeeded();
        }));

        await using var runner = await WorkflowTestHost.StartAsync(Configure, connectionString: database.ConnectionString);
        await using var watcher = await WorkflowTestHost.StartAsync(
            h =>
            {
                Configure(h);
                h.DecorateStore(counter.Wrap);
            },
            o => o.RunWorker = false,
            connectionString: database.ConnectionString);
        var ids = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            ids.Add((await runner.Client.StartJsonAsync("elsewhere", "{}", cancellationToken: Ct)).ExecutionId);
        }

        var waits = ids.Select(id => watcher.Client.WaitForCompletionAsync(id, Ct)).ToArray();
        await Eventually.UntilAsync(() => Task.FromResult(counter.Calls(SingleRead)), n => n >= ids.Count, "each waiter reading its row once");
        await Eventually.UntilAsync(() => Task.FromResult(counter.Calls(BatchRead)), n => n >= 3, "the watcher polling a few times while the steps are held");
        Assert.Equal(ids.Count, counter.Calls(SingleRead));
        Assert.All(waits, w => Assert.False(w.IsCompleted));

        gate.Release(ids.Count);
        var done = await Task.WhenAll(waits).WaitAsync(TimeSpan.FromMinutes(2), Ct);

        Assert.All(done, d => Assert.Equal(ExecutionStatus.Succeeded, d.Status));
        Assert.Equal(ids.Count, counter.Calls(SingleRead));
    }

    [Fact]
    public async Task TwoWorkersOnOneDatabase_NoExecutionRunsTwoStepsAtOnce_AndEachStepRunsOnce()
    {
        using var database = new TestDatabase();
        var active = new ConcurrentDictionary<string, int>();
        var overlaps = 0;
        var runs = new RunLog();
        var workers = new ConcurrentDictionary<string, byte>();

        void Configure(IHyOppsBuilder h) => h.AddWorkflow("shared", wf =>
        {
            for (var i = 0; i < 3; i++)
            {
                wf.Step($"s{i}", async (c, ct) =>
                {
                    if (active.AddOrUpdate(c.ExecutionId, 1, (_, n) => n + 1) > 1)
                    {
                        Interlocked.Increment(ref overlaps);
                    }

                    runs.Record(c.ExecutionId, c.StepId);
                    await Task.Yield();
                    active.AddOrUpdate(c.ExecutionId, 0, (_, n) => n - 1);
                    return StepResult.Succeeded();
                });
            }
        });

        await using var first = await WorkflowTestHost.StartAsync(Configure, o => o.WorkerId = "worker-a", connectionString: database.ConnectionString);
        await using var second = await WorkflowTestHost.StartAsync(Configure, o => o.WorkerId = "worker-b", connectionString: database.ConnectionString);

        var ids = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            var client = i % 2 == 0 ? first.Client : second.Client;
            ids.Add((await client.StartJsonAsync("shared", "{}", cancellationToken: Ct)).ExecutionId);
        }

        foreach (var id in ids)
        {
            var done = await first.Client.WaitForCompletionAsync(id, Ct);
            Assert.Equal(ExecutionStatus.Succeeded, done.Status);
            foreach (var attempt in done.Steps.SelectMany(s => s.Attempts))
            {
                workers.TryAdd(attempt.WorkerId!, 0);
            }
        }

        Assert.Equal(0, overlaps);
        Assert.All(ids, id => Assert.All(new[] { "s0", "s1", "s2" }, s => Assert.Equal(1, runs.Runs(id, s))));
        Assert.Subset(new HashSet<string> { "worker-a", "worker-b" }, workers.Keys.ToHashSet());
    }
}
