namespace HyOpps.Workflows.Storage;

/// <content>The notification outbox, filled by <see cref="ExecutionCommit.Notifications"/>.</content>
public partial interface IWorkflowStore
{
    /// <summary>
    /// Claims up to <see cref="NotificationClaimRequest.MaxCount"/> due notifications whose claim is free or expired, oldest first,
    /// reserving them for the requester until <c>Now + ClaimDuration</c>.
    /// </summary>
    /// <param name="request">The owner, time, claim duration and batch size.</param>
    /// <param name="cancellationToken">The token to cancel the work.</param>
    /// <returns>The claimed notifications, with the notifiers that already delivered each.</returns>
    ValueTask<IReadOnlyList<NotificationRecord>> ClaimNotificationsAsync(NotificationClaimRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Records a delivery pass of a notification the owner still claims: deleted when done, else its delivered notifiers are
    /// kept, its failed passes incremented, and it is due again at <see cref="NotificationDelivery.RetryAt"/> with its claim released.
    /// </summary>
    /// <param name="delivery">The event id, owner, delivered notifiers and retry time.</param>
    /// <param name="cancellationToken">The token to cancel the work.</param>
    /// <returns><see langword="false"/> when the notification is gone or claimed by another owner; nothing changed then.</returns>
    ValueTask<bool> CompleteNotificationAsync(NotificationDelivery delivery, CancellationToken cancellationToken);
}
