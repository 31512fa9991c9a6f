namespace HyOpps.Workflows;

/// <summary>How many executions were created in one hour.</summary>
/// <param name="HourStart">The start of the hour (UTC, on the hour).</param>
/// <param name="Count">The count.</param>
public sealed record HourlyCount(DateTimeOffset HourStart, int Count);
