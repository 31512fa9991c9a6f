namespace HyOpps.Workflows.Storage;

/// <summary>What <see cref="IWorkflowStore.GetStatusAsync"/> measures against.</summary>
/// <param name="Now">The current time.</param>
/// <param name="StuckBefore">A due execution whose due time is earlier than this is counted as stuck.</param>
public sealed record WorkflowStoreStatusRequest(DateTimeOffset Now, DateTimeOffset StuckBefore);
