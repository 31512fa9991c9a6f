using HyOpps.Workflows.Internal;
using HyOpps.Workflows.Storage;
using HyOpps.Workflows.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HyOpps.Workflows.Tests.Runtime;

public sealed class SharedResourceLocksTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Acquire_HeldByAnotherHost_WaitsUntilItIsReleased()
    {
        var store = new LeaseOnlyStore(new InMemoryResourceLockStore());
        var first = Locks(store, "A", TimeProvider.System);
        var second = Locks(store, "B", TimeProvider.System);

        var held = await first.AcquireAsync("slack:usergroup:S1", Ct);
        var waiting = second.AcquireAsync("slack:usergroup:S1", Ct).AsTask();
        var other = await second.AcquireAsync("slack:usergroup:S2", Ct);
        Assert.False(waiting.IsCompleted);

        await held.DisposeAsync();
        var next = await waiting.WaitAsync(Bound, Ct);
        Assert.True(next.FencingToken > held.FencingToken);
        await next.DisposeAsync();
        await other.DisposeAsync();
    }

    [Fact]
    public async Task Acquire_Cancelled_StopsWaiting()
    {
        var store = new LeaseOnlyStore(new InMemoryResourceLockStore());
        await using var held = await Locks(store, "A", TimeProvider.System).AcquireAsync("r", Ct);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var waiting = Locks(store, "B", TimeProvider.System).AcquireAsync("r", cts.Token).AsTask();

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Bound, Ct));
    }

    [Fact]
    public async Task HeldLock_RenewedByTheHeartbeat_SignalsLeaseLostOnceAnotherHostTookIt()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        var leases = new InMemoryResourceLockStore();
        var store = new LeaseOnlyStore(leases);
        var locks = Locks(store, "A", time);
        await using var held = await locks.AcquireAsync("r", Ct);
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = held.LeaseLost.Register(() => lost.TrySetResult());

        // The first renewal keeps it: nobody may take it at the original expiry.
        var originalExpiry = time.GetUtcNow() + SharedResourceLocks.LeaseDuration;
        time.Advance(SharedResourceLocks.LeaseDuration / 3);
        await store.Renewed(1).WaitAsync(Bound, Ct);
        Assert.Null(await leases.TryAcquireResourceAsync("r", "B", originalExpiry, TimeSpan.FromSeconds(1), Ct));
        Assert.False(held.LeaseLost.IsCancellationRequested);

        // Another host takes it past the renewed expiry (this host was frozen, say): the next renewal fails.
        Assert.NotNull(await leases.TryAcquireResourceAsync("r", "B", time.GetUtcNow() + SharedResourceLocks.LeaseDuration * 2, SharedResourceLocks.LeaseDuration, Ct));
        time.Advance(SharedResourceLocks.LeaseDuration / 3);
        await lost.Task.WaitAsync(Bound, Ct);
    }

    private static SharedResourceLocks Locks(IWorkflowStore store, string worker, TimeProvider time)
        => new(store, Options.Create(new HyOppsOptions { WorkerId = worker }), time);

    /// <summary>A store whose resource leases are the given ones, counting renewals; its workflow methods are never called here.</summary>
    private sealed class LeaseOnlyStore(InMemoryResourceLockStore leases) : IWorkflowStore, IResourceLockStore
    {
        private readonly Lock _lock = new();
        private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];
        private int _renewals;

        public Task Renewed(int count)
        {
            lock (_lock)
            {
                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                if (_renewals >= count)
                {
                    done.SetResult();
                }
                else
                {
                    _waiters.Add((count, done));
                }

                return done.Task;
            }
        }

        public ValueTask<ResourceLease?> TryAcquireResourceAsync(string resource, string owner, DateTimeOffset now, TimeSpan leaseDuration, CancellationToken cancellationToken)
            => leases.TryAcquireResourceAsync(resource, owner, now, leaseDuration, cancellationToken);

        public async ValueTask<bool> RenewResourceAsync(ResourceLease lease, DateTimeOffset expiresAt, CancellationToken cancellationToken)
        {
            var renewed = await leases.RenewResourceAsync(lease, expiresAt, cancellationToken);
            lock (_lock)
            {
                _renewals++;
                foreach (var waiter in _waiters.Where(w => w.Count <= _renewals))
                {
                    waiter.Done.TrySetResult();
                }
            }

            return renewed;
        }

        public ValueTask ReleaseResourceAsync(ResourceLease lease, CancellationToken cancellationToken) => leases.ReleaseResourceAsync(lease, cancellationToken);

        public ValueTask InitializeAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<CreateExecutionResult> CreateExecutionAsync(ExecutionRecord execution, IReadOnlyList<StepRecord> steps, IReadOnlyList<AuditRecord> audit, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<IReadOnlyList<ClaimedExecution>> ClaimAsync(ClaimRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<bool> RenewLeaseAsync(string executionId, long fencingToken, DateTimeOffset leaseExpiresAt, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<bool> CommitAsync(ExecutionCommit commit, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<ExecutionSnapshot?> GetExecutionAsync(string executionId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<ExecutionPage> ListExecutionsAsync(ExecutionQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<DateTimeOffset?> GetNextWakeTimeAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<WorkflowStoreStatus> GetStatusAsync(WorkflowStoreStatusRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<int> DeleteFinishedExecutionsAsync(RetentionRequest request, CancellationToken cancellationToken) => ValueTask.FromResult(0);

        public ValueTask<long> CountFinishedExecutionsAsync(RetentionRequest request, CancellationToken cancellationToken) => ValueTask.FromResult(0L);

        public ValueTask<IReadOnlyList<NotificationRecord>> ClaimNotificationsAsync(NotificationClaimRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<bool> CompleteNotificationAsync(NotificationDelivery delivery, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<ExecutionOverview> GetOverviewAsync(OverviewRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}

/// <summary>The leases kept in process for a store without its own, seen by two "hosts" of one process.</summary>
public sealed class InMemoryResourceLockStoreConformanceTests : ResourceLockStoreConformanceTests
{
    protected override Task<(IResourceLockStore A, IResourceLockStore B)> CreateStoresAsync()
    {
        var store = new InMemoryResourceLockStore();
        return Task.FromResult<(IResourceLockStore, IResourceLockStore)>((store, store));
    }

    protected override ValueTask DisposeStoresAsync(IResourceLockStore a, IResourceLockStore b) => ValueTask.CompletedTask;
}
