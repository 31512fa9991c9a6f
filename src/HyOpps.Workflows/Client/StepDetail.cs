using System.Text.Json;

namespace HyOpps.Workflows;

/// <summary>A step of an execution: status, output, error and attempts.</summary>
public sealed record StepDetail
{
    /// <summary>Gets the step id.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the zero-based index.</summary>
    public required int Index { get; init; }

    /// <summary>Gets the display name.</summary>
    public required string DisplayName { get; init; }

    /// <summary>Gets the status.</summary>
    public required StepStatus Status { get; init; }

    /// <summary>Gets the run number.</summary>
    public required int Run { get; init; }

    /// <summary>Gets the output.</summary>
    public JsonElement? Output { get; init; }

    /// <summary>Gets the operator's input override for this step.</summary>
    public JsonElement? InputOverride { get; init; }

    /// <summary>Gets the last error.</summary>
    public string? Error { get; init; }

    /// <summary>Gets the type of <see cref="Error"/>.</summary>
    public string? ErrorType { get; init; }

    /// <summary>Gets when the latest attempt started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>Gets when it completed.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Gets every attempt, earlier runs included, oldest first.</summary>
    public required IReadOnlyList<StepAttempt> Attempts { get; init; }
}
