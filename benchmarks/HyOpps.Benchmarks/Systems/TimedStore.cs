using System.Collections.Concurrent;
using System.Diagnostics;
using HyOpps.Workflows;
using HyOpps.Workflows.Storage;

namespace HyOpps.Benchmarks.Systems;

/// <summary>Forwards to the real store and records how long each kind of call took, as the runtime saw it (queueing, the transaction and the hop back).</summary>
internal sealed class TimedStore(IWorkflowStore inner) : IWorkflowStore, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ConcurrentBag<double>> _times = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, ConcurrentBag<double>> Times => _times;

    public void Reset() => _times.Clear();

    public ValueTask InitializeAsync(CancellationToken cancellationToken) => inner.InitializeAsync(cancellationToken);

    public ValueTask<CreateExecutionResult> CreateExecutionAsync(ExecutionRecord execution, IReadOnlyList<StepRecord> steps, IReadOnlyList<AuditRecord> audit, CancellationToken cancellationToken)
        => TimeAsync("create", () => inner.CreateExecutionAsync(execution, steps, audit, cancellationToken));

    public ValueTask<IReadOnlyList<ClaimedExecution>> ClaimAsync(ClaimRequest request, CancellationToken cancellationToken)
        => TimeAsync("claim", () => inner.ClaimAsync(request, cancellationToken));

    public ValueTask<bool> RenewLeaseAsync(string executionId, long fencingToken, DateTimeOffset leaseExpiresAt, CancellationToken cancellationToken)
        => TimeAsync("renew", () => inner.RenewLeaseAsync(executionId, fencingToken, leaseExpiresAt, cancellationToken));

    public ValueTask<bool> CommitAsync(ExecutionCommit commit, CancellationToken cancellationToken)
        => TimeAsync("commit", () => inner.CommitAsync(commit, cancellationToken));

    public ValueTask<ExecutionSnapshot?> GetExecutionAsync(string executionId, CancellationToken cancellationToken)
        => TimeAsync("get snapshot", () => inner.GetExecutionAsync(executionId, cancellationToken));

    public ValueTask<ExecutionRecord?> GetExecutionRecordAsync(string executionId, CancellationToken cancellationToken)
        => TimeAsync("get row", () => inner.GetExecutionRecordAsync(executionId, cancellationToken));

    public ValueTask<IReadOnlyList<ExecutionRecord>> GetExecutionRecordsAsync(IReadOnlyList<string> executionIds, CancellationToken cancellationToken)
        => TimeAsync("get rows", () => inner.GetExecutionRecordsAsync(executionIds, cancellationToken));

    public ValueTask<ExecutionPage> ListExecutionsAsync(ExecutionQuery query, CancellationToken cancellationToken)
        => TimeAsync("list", () => inner.ListExecutionsAsync(query, cancellationToken));

    public ValueTask<DateTimeOffset?> GetNextWakeTimeAsync(CancellationToken cancellationToken)
        => TimeAsync("next wake", () => inner.GetNextWakeTimeAsync(cancellationToken));

    public ValueTask<WorkflowStoreStatus> GetStatusAsync(WorkflowStoreStatusRequest request, CancellationToken cancellationToken)
        => TimeAsync("status", () => inner.GetStatusAsync(request, cancellationToken));

    public ValueTask<int> DeleteFinishedExecutionsAsync(RetentionRequest request, CancellationToken cancellationToken)
        => TimeAsync("retention delete", () => inner.DeleteFinishedExecutionsAsync(request, cancellationToken));

    public ValueTask<long> CountFinishedExecutionsAsync(RetentionRequest request, CancellationToken cancellationToken)
        => TimeAsync("retention count", () => inner.CountFinishedExecutionsAsync(request, cancellationToken));

    public ValueTask<IReadOnlyList<NotificationRecord>> ClaimNotificationsAsync(NotificationClaimRequest request, CancellationToken cancellationToken)
        => inner.ClaimNotificationsAsync(request, cancellationToken);

    public ValueTask<bool> CompleteNotificationAsync(NotificationDelivery delivery, CancellationToken cancellationToken)
        => inner.CompleteNotificationAsync(delivery, cancellationToken);

    public ValueTask<ExecutionOverview> GetOverviewAsync(OverviewRequest request, CancellationToken cancellationToken)
        => inner.GetOverviewAsync(request, cancellationToken);

    // The container owns and disposes the inner store.
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    // The call is started inside the timing: SQLite reads complete synchronously, before an already-created task could be timed.
    private async ValueTask<T> TimeAsync<T>(string name, Func<ValueTask<T>> call)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await call().ConfigureAwait(false);
        }
        finally
        {
            _times.GetOrAdd(name, _ => []).Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }
}
