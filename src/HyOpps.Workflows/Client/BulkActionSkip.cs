namespace HyOpps.Workflows;

/// <summary>An execution a bulk action matched but did not change, and why.</summary>
/// <param name="ExecutionId">The execution id.</param>
/// <param name="Reason">Why, as the state machine said it.</param>
public sealed record BulkActionSkip(string ExecutionId, string Reason);
