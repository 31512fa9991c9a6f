namespace HyOpps.Workflows.Storage;

/// <summary>The stored record of one attempt of a step; kept across re-runs.</summary>
public sealed record AttemptRecord
{
    /// <summary>Gets the execution id.</summary>
    public required string ExecutionId { get; init; }

    /// <summary>Gets the step's index.</summary>
    public required int StepIndex { get; init; }

    /// <summary>Gets the step id.</summary>
    public required string StepId { get; init; }

    /// <summary>Gets the step's run number.</summary>
    public required int Run { get; init; }

    /// <summary>Gets the attempt number within the run, from 1.</summary>
    public required int Number { get; init; }

    /// <summary>Gets the worker that ran it.</summary>
    public string? WorkerId { get; init; }

    /// <summary>Gets when it started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Gets when it ended.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Gets how it ended.</summary>
    public AttemptOutcome Outcome { get; init; }

    /// <summary>Gets its error.</summary>
    public string? Error { get; init; }

    /// <summary>Gets the type of <see cref="Error"/>.</summary>
    public string? ErrorType { get; init; }

    /// <summary>Gets the JSON text of the input a typed step was given, secrets removed; <see langword="null"/> for untyped steps.</summary>
    public string? Input { get; init; }

    /// <summary>Gets its output JSON text, when it succeeded.</summary>
    public string? Output { get; init; }
}
