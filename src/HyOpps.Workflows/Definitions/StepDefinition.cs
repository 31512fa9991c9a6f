namespace HyOpps.Workflows;

/// <summary>One step of a workflow definition.</summary>
public sealed class StepDefinition
{
    internal StepDefinition(string id, int index, StepKind kind)
    {
        Id = id;
        Index = index;
        Kind = kind;
    }

    /// <summary>Gets the step id, stable across versions.</summary>
    public string Id { get; }

    /// <summary>Gets the zero-based position of the step.</summary>
    public int Index { get; }

    /// <summary>Gets how the step is carried out.</summary>
    public StepKind Kind { get; }

    /// <summary>Gets the name shown to operators.</summary>
    public string DisplayName { get; internal set; } = string.Empty;

    /// <summary>Gets the step type, for typed steps.</summary>
    public Type? StepType { get; internal init; }

    /// <summary>Gets the input type of a step implementing <see cref="IWorkflowStep{TInput}"/>, whose input each attempt records.</summary>
    public Type? InputType => Input?.InputType;

    /// <summary>Gets the retry policy, or <see langword="null"/> for the runtime's default.</summary>
    public RetryPolicy? RetryPolicy { get; internal set; }

    /// <summary>Gets the longest time one attempt may run, or <see langword="null"/> for no limit.</summary>
    public TimeSpan? Timeout { get; internal set; }

    /// <summary>Gets the prompt of a manual step.</summary>
    public string? Prompt { get; internal init; }

    internal Func<StepContext, CancellationToken, ValueTask<StepResult>>? Delegate { get; init; }

    internal Func<StepContext, bool>? Condition { get; set; }

    internal string? SkipReason { get; set; }

    internal Internal.StepInputBinding? Input { get; init; }
}
