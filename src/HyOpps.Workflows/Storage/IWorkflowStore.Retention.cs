namespace HyOpps.Workflows.Storage;

/// <content>Retention: deleting finished executions older than a cutoff.</content>
public partial interface IWorkflowStore
{
    /// <summary>
    /// Deletes up to <see cref="RetentionRequest.MaxCount"/> finished executions that match the request, with their steps,
    /// attempts, audit entries and labels, in one transaction; oldest first.
    /// </summary>
    /// <param name="request">The workflow, status, cutoff and batch size.</param>
    /// <param name="cancellationToken">The token to cancel the work.</param>
    /// <returns>How many executions were deleted; fewer than the batch size when no more match.</returns>
    /// <remarks>Never deletes a pending, running or waiting execution. A store may give space back afterwards (SQLite: an incremental vacuum).</remarks>
    ValueTask<int> DeleteFinishedExecutionsAsync(RetentionRequest request, CancellationToken cancellationToken);

    /// <summary>Counts the finished executions that <see cref="DeleteFinishedExecutionsAsync"/> would delete, without a batch limit: the dry run.</summary>
    /// <param name="request">The workflow, status and cutoff.</param>
    /// <param name="cancellationToken">The token to cancel the work.</param>
    /// <returns>The count.</returns>
    ValueTask<long> CountFinishedExecutionsAsync(RetentionRequest request, CancellationToken cancellationToken);
}
