namespace HyOpps.Workflows.Storage;

/// <summary>The stored row of an execution, as a store persists it.</summary>
public sealed record ExecutionRecord
{
    /// <summary>Gets the execution id.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the workflow name.</summary>
    public required string WorkflowName { get; init; }

    /// <summary>Gets the workflow version.</summary>
    public required int WorkflowVersion { get; init; }

    /// <summary>Gets the status.</summary>
    public required ExecutionStatus Status { get; init; }

    /// <summary>Gets the input as a JSON object text, secrets removed.</summary>
    public required string Input { get; init; }

    /// <summary>Gets the idempotency key, unique per workflow name.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Gets the labels used for filtering (for example <c>org</c>).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the index of the step to run next.</summary>
    public int CurrentStepIndex { get; init; }

    /// <summary>Gets when the execution was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when the execution last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Gets when the execution reached a final status.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Gets the earliest time a worker may claim it (a retry's backoff).</summary>
    public DateTimeOffset? NextRunAt { get; init; }

    /// <summary>Gets the worker holding the lease.</summary>
    public string? LeaseOwner { get; init; }

    /// <summary>Gets when the lease expires.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>Gets the fencing token of the latest claim; a commit with an older token is refused.</summary>
    public long FencingToken { get; init; }

    /// <summary>Gets the row version, incremented by every change.</summary>
    public long Version { get; init; }

    /// <summary>Gets the error that failed the execution.</summary>
    public string? Error { get; init; }

    /// <summary>Gets the type of <see cref="Error"/>.</summary>
    public string? ErrorType { get; init; }

    /// <summary>Gets why the execution is not progressing (approval prompt, retry reason).</summary>
    public string? WaitingReason { get; init; }

    /// <summary>Gets the W3C <c>traceparent</c> of the execution's span, so that its steps' spans join one trace on any host; fixed at creation.</summary>
    public string? TraceParent { get; init; }
}
