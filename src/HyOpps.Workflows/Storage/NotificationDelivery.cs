namespace HyOpps.Workflows.Storage;

/// <summary>The result of one delivery pass of a claimed notification.</summary>
/// <param name="EventId">The notification's event id.</param>
/// <param name="Owner">The dispatcher that claimed it.</param>
/// <param name="DeliveredTo">Every notifier that has delivered it so far, this pass included.</param>
/// <param name="RetryAt">When to try the others again; <see langword="null"/> when it is done (delivered to all, or given up), which deletes it.</param>
public sealed record NotificationDelivery(string EventId, string Owner, IReadOnlyList<string> DeliveredTo, DateTimeOffset? RetryAt);
