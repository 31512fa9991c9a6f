using System.Collections.Concurrent;
using HyOpps.TestUtilities;

namespace HyOpps.Workflows.Tests.Runtime;

public sealed class MultiWorkerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WaitForCompletion_ExecutionRunHere_ReadsItsRowOnce()
    {
        var counter = new CountingStore();
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

        Assert.True(counter.SingleReads <= 5, $"expected at most one row read per wait, got {counter.SingleReads}");
    }

    [Fact]
    public async Task WaitersOfExecutionsRunElsewhere_AreWokenByOneSharedPoll_NotOneReadPerWaiter()
    {
        using var database = new TestDatabase();
        using var gate = new SemaphoreSlim(0);
        var counter = new CountingStore();
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
        await Eventually.UntilAsync(() => Task.FromResult(counter.SingleReads), n => n >= ids.Count, "each waiter reading its row once");
        await Eventually.UntilAsync(() => Task.FromResult(counter.BatchReads), n => n >= 3, "the watcher polling a few times while the steps are held");
        Assert.Equal(ids.Count, counter.SingleReads);
        Assert.All(waits, w => Assert.False(w.IsCompleted));

        gate.Release(ids.Count);
        var done = await Task.WhenAll(waits).WaitAsync(TimeSpan.FromMinutes(2), Ct);

        Assert.All(done, d => Assert.Equal(ExecutionStatus.Succeeded, d.Status));
        Assert.Equal(ids.Count, counter.SingleReads);
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

    /// <summary>Counts the row reads of the store the host uses, by kind.</summary>
    private sealed class CountingStore
    {
        private int _singleReads;
        private int _batchReads;

        public int SingleReads => Volatile.Read(ref _singleReads);

        public int BatchReads => Volatile.Read(ref _batchReads);

        public Storage.IWorkflowStore Wrap(Storage.IWorkflowStore inner, IServiceProvider services) => new Counting(inner, this);

        private sealed class Counting(Storage.IWorkflowStore inner, CountingStore counts) : Storage.IWorkflowStore
        {
            public ValueTask InitializeAsync(CancellationToken cancellationToken) => inner.InitializeAsync(cancellationToken);

            public ValueTask<Storage.CreateExecutionResult> CreateExecutionAsync(Storage.ExecutionRecord execution, IReadOnlyList<Storage.StepRecord> steps, IReadOnlyList<Storage.AuditRecord> audit, CancellationToken cancellationToken)
                => inner.CreateExecutionAsync(execution, steps, audit, cancellationToken);

            public ValueTask<IReadOnlyList<Storage.ClaimedExecution>> ClaimAsync(Storage.ClaimRequest request, CancellationToken cancellationToken) => inner.ClaimAsync(request, cancellationToken);

            public ValueTask<bool> RenewLeaseAsync(string executionId, long fencingToken, DateTimeOffset leaseExpiresAt, CancellationToken cancellationToken)
                => inner.RenewLeaseAsync(executionId, fencingToken, leaseExpiresAt, cancellationToken);

            public ValueTask<bool> CommitAsync(Storage.ExecutionCommit commit, CancellationToken cancellationToken) => inner.CommitAsync(commit, cancellationToken);

            public ValueTask<Storage.ExecutionSnapshot?> GetExecutionAsync(string executionId, CancellationToken cancellationToken) => inner.GetExecutionAsync(executionId, cancellationToken);

            public ValueTask<Storage.ExecutionRecord?> GetExecutionRecordAsync(string executionId, CancellationToken cancellationToken)
            {
                Interlocked.Increment(ref counts._singleReads);
                return inner.GetExecutionRecordAsync(executionId, cancellationToken);
            }

            public ValueTask<IReadOnlyList<Storage.ExecutionRecord>> GetExecutionRecordsAsync(IReadOnlyList<string> executionIds, CancellationToken cancellationToken)
            {
                Interlocked.Increment(ref counts._batchReads);
                return inner.GetExecutionRecordsAsync(executionIds, cancellationToken);
            }

            public ValueTask<Storage.ExecutionPage> ListExecutionsAsync(ExecutionQuery query, CancellationToken cancellationToken) => inner.ListExecutionsAsync(query, cancellationToken);

            public ValueTask<DateTimeOffset?> GetNextWakeTimeAsync(CancellationToken cancellationToken) => inner.GetNextWakeTimeAsync(cancellationToken);

            public ValueTask<Storage.WorkflowStoreStatus> GetStatusAsync(Storage.WorkflowStoreStatusRequest request, CancellationToken cancellationToken) => inner.GetStatusAsync(request, cancellationToken);

            public ValueTask<int> DeleteFinishedExecutionsAsync(Storage.RetentionRequest request, CancellationToken cancellationToken) => inner.DeleteFinishedExecutionsAsync(request, cancellationToken);

            public ValueTask<long> CountFinishedExecutionsAsync(Storage.RetentionRequest request, CancellationToken cancellationToken) => inner.CountFinishedExecutionsAsync(request, cancellationToken);

            public ValueTask<IReadOnlyList<Storage.NotificationRecord>> ClaimNotificationsAsync(Storage.NotificationClaimRequest request, CancellationToken cancellationToken) => inner.ClaimNotificationsAsync(request, cancellationToken);

            public ValueTask<bool> CompleteNotificationAsync(Storage.NotificationDelivery delivery, CancellationToken cancellationToken) => inner.CompleteNotificationAsync(delivery, cancellationToken);

            public ValueTask<ExecutionOverview> GetOverviewAsync(Storage.OverviewRequest request, CancellationToken cancellationToken) => inner.GetOverviewAsync(request, cancellationToken);
        }
    }
}
