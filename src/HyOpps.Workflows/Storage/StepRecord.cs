namespace HyOpps.Workflows.Storage;

/// <summary>The stored state of one step of an execution.</summary>
public sealed record StepRecord
{
    /// <summary>Gets the execution id.</summary>
    public required string ExecutionId { get; init; }

    /// <summary>Gets the step's zero-based index.</summary>
    public required int Index { get; init; }

    /// <summary>Gets the step id.</summary>
    public required string StepId { get; init; }

    /// <summary>Gets the status.</summary>
    public StepStatus Status { get; init; }

    /// <summary>Gets the run number: 1, then one more for every re-run from this step or an earlier one.</summary>
    public int Run { get; init; } = 1;

    /// <summary>Gets how many attempts this run has started.</summary>
    public int Attempts { get; init; }

    /// <summary>Gets how many of <see cref="Attempts"/> were abandoned because their worker stopped; they do not count against the retry policy.</summary>
    public int AbandonedAttempts { get; init; }

    /// <summary>Gets the output JSON object text.</summary>
    public string? Output { get; init; }

    /// <summary>Gets the checkpoint JSON text saved by the step.</summary>
    public string? Checkpoint { get; init; }

    /// <summary>Gets the operator's input override JSON text for this step.</summary>
    public string? InputOverride { get; init; }

    /// <summary>Gets the last error.</summary>
    public string? Error { get; init; }

    /// <summary>Gets the type of <see cref="Error"/>.</summary>
    public string? ErrorType { get; init; }

    /// <summary>Gets when this run's first attempt started.</summary>
    public DateTimeOffset? FirstAttemptAt { get; init; }

    /// <summary>Gets when the latest attempt started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>Gets when the step completed.</summary>
    public DateTimeOffset? CompletedAt { get; init; }
}
