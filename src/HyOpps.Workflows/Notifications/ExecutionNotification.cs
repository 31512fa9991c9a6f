namespace HyOpps.Workflows.Notifications;

/// <summary>One event of an execution, as given to every <see cref="IExecutionNotifier"/>.</summary>
/// <remarks>
/// Built by the runtime from the execution's row only: it never carries inputs, outputs, error messages (which may quote
/// input values) or secrets. The labels are the ones the host set at start (for example <c>org</c>) and serve routing.
/// </remarks>
public sealed record ExecutionNotification
{
    /// <summary>Gets the event's id: the same on every redelivery of this event, so a notifier or its channel can deduplicate by it.</summary>
    public required string EventId { get; init; }

    /// <summary>Gets what happened.</summary>
    public required ExecutionNotificationKind Kind { get; init; }

    /// <summary>Gets the execution's id.</summary>
    public required string ExecutionId { get; init; }

    /// <summary>Gets the workflow's name.</summary>
    public required string WorkflowName { get; init; }

    /// <summary>Gets the id of the step concerned, or <see langword="null"/> when the event concerns no single step.</summary>
    public string? StepId { get; init; }

    /// <summary>Gets when the event happened.</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>Gets the execution's labels (for example <c>org</c>), for routing.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Gets the absolute address of the execution's dashboard page, or <see langword="null"/> when
    /// <c>HyOpps:Runtime:Notifications:DashboardBaseUrl</c> is not set.
    /// </summary>
    public Uri? DashboardUrl { get; init; }

    /// <summary>
    /// Gets one line for a person, built by the runtime, for example
    /// <c>Step add_user_to_slack_group of new_partner_user failed permanently (category: Configuration)</c>.
    /// </summary>
    public required string Summary { get; init; }
}
