namespace HyOpps.Workflows;

/// <summary>The retention of finished executions: a dry-run count for an API or an overview page, and one deletion pass.</summary>
/// <remarks>The hosted service of the runtime runs <see cref="DeleteExpiredAsync"/> every <see cref="HyOppsRetentionOptions.Interval"/>.</remarks>
public interface IExecutionRetention
{
    /// <summary>Counts the finished executions that are past their age now, without deleting any.</summary>
    /// <param name="cancellationToken">The token to cancel the work.</param>
    /// <returns>One count per workflow and status that has expired executions.</returns>
    Task<IReadOnlyList<ExpiredExecutionCount>> CountExpiredAsync(CancellationToken cancellationToken);

    /// <summary>Deletes every finished execution past its age now, in batches of <see cref="HyOppsRetentionOptions.BatchSize"/>, each its own transaction.</summary>
    /// <param name="cancellationToken">The token to cancel the work.</param>
    /// <returns>How many executions were deleted.</returns>
    Task<long> DeleteExpiredAsync(CancellationToken cancellationToken);
}
