namespace HyOpps.Workflows.Storage;

/// <summary>A page of execution rows.</summary>
/// <param name="Items">The rows, newest first.</param>
/// <param name="Total">How many rows match, ignoring paging.</param>
public sealed record ExecutionPage(IReadOnlyList<ExecutionRecord> Items, int Total);
