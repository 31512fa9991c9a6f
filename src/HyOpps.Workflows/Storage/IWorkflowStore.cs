using System.Diagnostics.CodeAnalysis;
using HyOpps.Workflows.Internal;

namespace HyOpps.Workflows.Storage;

/// <summary>The storage seam of the workflow runtime; a store must pass the conformance tests.</summary>
/// <remarks>
/// Every method commits before it returns. Claims take leases with a fencing token so that several hosts can share
/// one store (for example PostgreSQL with <c>FOR UPDATE SKIP LOCKED</c>); a commit guarded by an outdated token is refused.
/// </remarks>
[Experimental(HyOppsDiagnostics.ExperimentalStore)]
public partial interface IWorkflowStore
{
    /// <summary>Creates or migrates the schema.</summary>
    /// <param name="cancellationToken">The token to cancel the work.</param>
    /// <returns>A task that completes once the store is ready.</returns>
    ValueTask InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Creates an execution with its steps, or returns the existing one with the same workflow name and idempotency key.</summary>
    /// <param name="execution">The new execution row.</param>
    /// <param name="steps">Its steps, all pending.</param>
    /// <param name="audit">Audit entries to add with it.</param>
    /// <param name="cancellationToken">The token to cancel the work.</param>
    /// <returns>The execution and whether it was created.</returns>
    ValueTask<CreateExecutionResult> CreateExecutionAsync(ExecutionRecord execution, IReadOnlyList<StepRecord> steps, IReadOnlyList<AuditRecord> audit, CancellationToken cancellationToken);

    /// <summary>Claims runnable executions: pending or running, due, and with no live lease.</summary>
    /// <param name="request">Who claims, when, for how long and how many.</param>
    /// <param name="cancellationToken">The token to cancel the work.</param>
    /// <returns>The claimed executions, each with a new fencing token.</returns>
    ValueTask<IReadOnlyList<ClaimedExecution>> ClaimAsync(ClaimRequest request, CancellationToken cancellationToken);

    /// <summary>Extends a lease while its fencing token is still the latest.</summary>
    /// <param name="executionId">The execution id.</param>
    /// <param name="fencingToken">The token of the claim.</param>
    /// <param name="leaseExpiresAt">The new expiry.</param>
    /// <param name="cancellationToken">The token to cancel the work.</param>
    /// <returns><see langword="false"/> when the lease was lost.</returns>
    ValueTask<bool> RenewLeaseAsync(string executionId, long fencingToken, DateTimeOffset leaseExpiresAt, CancellationToken cancellationToken);

    /// <summary>Applies a change atomically if its guard holds.</summary>
    /// <param name="commit">The change and its guard.</param>
    /// <param name="cancellationToken">The token to cancel the work.</param>
    /// <returns><see langword="false"/> when the guard failed and nothing was written.</returns>
    ValueTask<bool> CommitAsync(ExecutionCommit commit, CancellationToken cancellationToken);

    /// <summary>Reads an execution with its steps, attempts and audit trail.</summary>
    /// <param name="executionId">The execution id.</param>
    /// <param name="cancellationToken">The token to cancel the work.</param>
    /// <returns>The snapshot, or <see langword="null"/> when there is no such execution.</returns>
    ValueTask<ExecutionSnapshot?> GetExecutionAsync(string executionId, CancellationToken cancellationToken);

    /// <summary>Reads an execution's row alone, without its steps, attempts and audit trail; for cheap status polls.</summary>
    /// <param name="executionId">The execution id.</param>
    /// <param name="cancellationToken">The token to cancel the work.</param>
    /// <returns>The row, or <see langword="null"/> when there is no such execution.</returns>
    /// <remarks>The default implementation reads the whole snapshot; a store should override it with a one-row read.</remarks>
    async ValueTask<ExecutionRecord?> GetExecutionRecordAsync(string executionId, CancellationToken cancellationToken)
        => (await GetExecutionAsync(executionId, cancellationToken).ConfigureAwait(false))?.Execution;

    /// <summary>Reads the rows of several executions at once, without their steps, attempts and audit trails; for the waiters' shared poll.</summary>
    /// <param name="executionIds">The execution ids.</param>
    /// <param name="cancellationToken">The token to cancel the work.</param>
    /// <returns>The rows found, in no particular order; ids with no execution are left out.</returns>
    /// <remarks>The default implementation reads one row at a time; a store should override it with one query.</remarks>
    async ValueTask<IReadOnlyList<ExecutionRecord>> GetExecutionRecordsAsync(IReadOnlyList<string> executionIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(executionIds);
        var rows = new List<ExecutionRecord>(executionIds.Count);
        foreach (var id in executionIds)
        {
            if (await GetExecutionRecordAsync(id, cancellationToken).ConfigureAwait(false) is { } row)
            {
                rows.Add(row);
            }
        }

        return rows;
    }

    /// <summary>Lists execution rows, newest first.</summary>
    /// <param name="query">Filters and paging.</param>
    /// <param name="cancellationToken">The token to cancel the work.</param>
    /// <returns>A page.</returns>
    ValueTask<ExecutionPage> ListExecutionsAsync(ExecutionQuery query, CancellationToken cancellationToken);

    /// <summary>Gets the earliest time a pending execution becomes due or a lease expires, for the worker's next wake-up.</summary>
    /// <param name="cancellationToken">The token to cancel the work.</param>
    /// <returns>The time, or <see langword="null"/> when nothing is waiting.</returns>
    ValueTask<DateTimeOffset?> GetNextWakeTimeAsync(CancellationToken cancellationToken);

    /// <summary>Reads the backlog and the store's own health in one query, for metrics and health checks.</summary>
    /// <param name="request">The current time and when a due execution counts as stuck.</param>
    /// <param name="cancellationToken">The token to cancel the work.</param>
    /// <returns>The status.</returns>
    /// <remarks>
    /// An execution is due when it is pending or running and its due time has come: the later of its lease's expiry and its
    /// <see cref="ExecutionRecord.NextRunAt"/>, or its <see cref="ExecutionRecord.UpdatedAt"/> when it has neither.
    /// </remarks>
    ValueTask<WorkflowStoreStatus> GetStatusAsync(WorkflowStoreStatusRequest request, CancellationToken cancellationToken);
}
