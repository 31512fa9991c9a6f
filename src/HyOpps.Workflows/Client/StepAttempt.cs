using System.Text.Json;

namespace HyOpps.Workflows;

/// <summary>One attempt of a step: when, how long, how it ended.</summary>
public sealed record StepAttempt
{
    /// <summary>Gets the step's run number (re-runs add one).</summary>
    public required int Run { get; init; }

    /// <summary>Gets the attempt number within the run.</summary>
    public required int Number { get; init; }

    /// <summary>Gets the worker that ran it.</summary>
    public string? WorkerId { get; init; }

    /// <summary>Gets when it started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Gets when it ended.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Gets how long it ran.</summary>
    public TimeSpan? Duration => EndedAt - StartedAt;

    /// <summary>Gets how it ended.</summary>
    public required AttemptOutcome Outcome { get; init; }

    /// <summary>Gets its error.</summary>
    public string? Error { get; init; }

    /// <summary>Gets the type of <see cref="Error"/>.</summary>
    public string? ErrorType { get; init; }

    /// <summary>Gets the input a typed step was given (mapped by the definition for this attempt, secrets removed), or <see langword="null"/>.</summary>
    public JsonElement? Input { get; init; }

    /// <summary>Gets its output, when it succeeded.</summary>
    public JsonElement? Output { get; init; }
}
