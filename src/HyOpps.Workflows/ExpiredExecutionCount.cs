namespace HyOpps.Workflows;

/// <summary>How many finished executions of one workflow and status are past their age.</summary>
/// <param name="WorkflowName">The workflow name.</param>
/// <param name="Status">The finished status.</param>
/// <param name="FinishedBefore">The cutoff: executions that finished before it are expired.</param>
/// <param name="Count">The count.</param>
public sealed record ExpiredExecutionCount(string WorkflowName, ExecutionStatus Status, DateTimeOffset FinishedBefore, long Count);
