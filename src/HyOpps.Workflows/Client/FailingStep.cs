namespace HyOpps.Workflows;

/// <summary>A step at which executions of one workflow failed, with how many and their most common error.</summary>
/// <param name="WorkflowName">The workflow name.</param>
/// <param name="StepId">The step id.</param>
/// <param name="Count">How many executions are failed at this step and failed within the window.</param>
/// <param name="CommonError">The step error most of them share, or <see langword="null"/> when none was recorded.</param>
/// <param name="CommonErrorCount">How many of them have <paramref name="CommonError"/>.</param>
public sealed record FailingStep(string WorkflowName, string StepId, int Count, string? CommonError, int CommonErrorCount);
