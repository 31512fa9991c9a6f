namespace HyOpps.Workflows;

/// <summary>How many executions of one workflow are in one status.</summary>
/// <param name="WorkflowName">The workflow name.</param>
/// <param name="Status">The status.</param>
/// <param name="Count">The count.</param>
public sealed record ExecutionCount(string WorkflowName, ExecutionStatus Status, int Count);
