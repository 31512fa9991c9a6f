namespace HyOpps.Workflows;

/// <summary>An execution as listed: status, workflow, labels and times.</summary>
public sealed record ExecutionSummary
{
    /// <summary>Gets the execution id.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the workflow name.</summary>
    public required string WorkflowName { get; init; }

    /// <summary>Gets the workflow version.</summary>
    public required int WorkflowVersion { get; init; }

    /// <summary>Gets the status.</summary>
    public required ExecutionStatus Status { get; init; }

    /// <summary>Gets the labels.</summary>
    public required IReadOnlyDictionary<string, string> Labels { get; init; }

    /// <summary>Gets the id of the step that runs next or stopped the execution, if any.</summary>
    public string? CurrentStepId { get; init; }

    /// <summary>Gets when it was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when it last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Gets when it reached a final status.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Gets the earliest time a worker may run it next (a scheduled start or a retry's backoff).</summary>
    public DateTimeOffset? NextRunAt { get; init; }

    /// <summary>Gets the error that failed it.</summary>
    public string? Error { get; init; }

    /// <summary>Gets the time from creation to completion, once complete.</summary>
    public TimeSpan? Duration => CompletedAt - CreatedAt;
}
