namespace HyOpps.Workflows;

/// <summary>The result of starting an execution.</summary>
/// <param name="ExecutionId">The execution id.</param>
/// <param name="Created"><see langword="false"/> when an execution with the same idempotency key already existed and was returned instead.</param>
public sealed record ExecutionStarted(string ExecutionId, bool Created);
