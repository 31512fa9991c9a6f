using HyOpps.Workflows.Storage;

namespace HyOpps.Workflows.Internal.Machine;

/// <summary>The records of one execution that the state machine decides from: its row and its steps, by index.</summary>
internal sealed record ExecutionView(ExecutionRecord Execution, IReadOnlyList<StepRecord> Steps)
{
    public int Index => Execution.CurrentStepIndex;

    public StepRecord Current => Steps[Index];

    public static ExecutionView Of(ExecutionRecord execution, IEnumerable<StepRecord> steps) => new(execution, [.. steps.OrderBy(s => s.Index)]);

    /// <summary>Returns the view after <paramref name="transition"/>.</summary>
    public ExecutionView Apply(Transition transition)
    {
        if (transition.Steps.Count == 0)
        {
            return this with { Execution = transition.Execution };
        }

        var steps = Steps.ToArray();
        foreach (var step in transition.Steps)
        {
            steps[step.Index] = step;
        }

        return new ExecutionView(transition.Execution, steps);
    }
}
