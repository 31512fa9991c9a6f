namespace HyOpps.Workflows;

/// <summary>Options for starting an execution.</summary>
public sealed record StartExecutionOptions
{
    /// <summary>Gets a key that makes the start idempotent: a second start with the same workflow and key returns the first execution.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Gets labels to filter executions by (for example <c>org</c>).</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>Gets the definition version to run, or <see langword="null"/> for the highest registered.</summary>
    public int? Version { get; init; }

    /// <summary>Gets the earliest time the execution may run (for example the partner's first working day), or <see langword="null"/> to run at once.</summary>
    /// <remarks>
    /// Until then the execution is pending and no worker claims it; an operator can start it now
    /// (<see cref="IWorkflowClient.StartNowAsync"/>) or cancel it. A time already past runs at once.
    /// </remarks>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>Gets who started it, for the audit trail. The default value is <c>system</c>.</summary>
    public string Actor { get; init; } = "system";
}
