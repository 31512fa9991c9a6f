using HyOpps.Workflows.Storage;

namespace HyOpps.Workflows.Internal;

/// <summary>A worker's working copy of a claimed execution.</summary>
internal sealed class ExecutionState(ExecutionRecord execution, StepRecord[] steps, long fencingToken)
{
    public ExecutionRecord Execution { get; set; } = execution;

    public StepRecord[] Steps { get; } = steps;

    public long FencingToken { get; } = fencingToken;
}
