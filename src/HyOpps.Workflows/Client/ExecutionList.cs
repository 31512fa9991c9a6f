namespace HyOpps.Workflows;

/// <summary>A page of executions.</summary>
/// <param name="Items">The executions, newest first.</param>
/// <param name="Total">How many match, ignoring paging.</param>
public sealed record ExecutionList(IReadOnlyList<ExecutionSummary> Items, int Total);
