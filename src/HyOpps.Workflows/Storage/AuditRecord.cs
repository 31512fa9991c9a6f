namespace HyOpps.Workflows.Storage;

/// <summary>An operator action on an execution: who, when, what and why.</summary>
public sealed record AuditRecord
{
    /// <summary>Gets the execution id.</summary>
    public required string ExecutionId { get; init; }

    /// <summary>Gets when it happened.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>Gets who did it.</summary>
    public required string Actor { get; init; }

    /// <summary>Gets the action, for example <c>retry</c> or <c>rerun_from</c>.</summary>
    public required string Action { get; init; }

    /// <summary>Gets the reason the actor gave.</summary>
    public string? Reason { get; init; }

    /// <summary>Gets details, such as the step id.</summary>
    public string? Detail { get; init; }
}
