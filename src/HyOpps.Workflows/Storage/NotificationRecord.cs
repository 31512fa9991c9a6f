using HyOpps.Workflows.Notifications;

namespace HyOpps.Workflows.Storage;

/// <summary>A notification event in a store's outbox: written with the commit that caused it, deleted once every notifier has it.</summary>
public sealed record NotificationRecord
{
    /// <summary>Gets the event's id, unique in the outbox; a second insert of the same id is ignored.</summary>
    public required string EventId { get; init; }

    /// <summary>Gets what happened.</summary>
    public required ExecutionNotificationKind Kind { get; init; }

    /// <summary>Gets the execution's id.</summary>
    public required string ExecutionId { get; init; }

    /// <summary>Gets the workflow's name.</summary>
    public required string WorkflowName { get; init; }

    /// <summary>Gets the id of the step concerned, if any.</summary>
    public string? StepId { get; init; }

    /// <summary>Gets when the event happened.</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>Gets the execution's labels.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the one-line summary built by the runtime; it holds no input, output, error detail or secret.</summary>
    public required string Summary { get; init; }

    /// <summary>Gets the names of the notifiers that have delivered the event; empty on insert.</summary>
    public IReadOnlyList<string> DeliveredTo { get; init; } = [];

    /// <summary>Gets how many delivery passes have failed for at least one notifier; 0 on insert.</summary>
    public int FailedPasses { get; init; }
}
