namespace HyOpps.Workflows.Storage;

/// <summary>A worker's request for runnable executions.</summary>
/// <param name="WorkerId">The worker that takes the leases.</param>
/// <param name="Now">The current time.</param>
/// <param name="LeaseDuration">How long the leases last.</param>
/// <param name="MaxCount">The most executions to claim.</param>
public sealed record ClaimRequest(string WorkerId, DateTimeOffset Now, TimeSpan LeaseDuration, int MaxCount);
