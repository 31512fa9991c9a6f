namespace HyOpps.Workflows.Storage;

/// <summary>The backlog and health of a store, as read by <see cref="IWorkflowStore.GetStatusAsync"/>.</summary>
/// <param name="SchemaCurrent"><see langword="false"/> when the store's schema is older than this version of the store expects.</param>
/// <param name="DueCount">How many executions are due and unclaimed.</param>
/// <param name="OldestDueAt">The earliest due time among them, or <see langword="null"/> when none is due.</param>
/// <param name="StuckCount">How many of them have been due since before the request's <c>StuckBefore</c>.</param>
public sealed record WorkflowStoreStatus(bool SchemaCurrent, int DueCount, DateTimeOffset? OldestDueAt, int StuckCount);
