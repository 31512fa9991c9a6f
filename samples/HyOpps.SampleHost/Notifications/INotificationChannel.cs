using HyOpps.SampleHost.Domain;
using HyOpps.Workflows.Notifications;

namespace HyOpps.SampleHost.Notifications;

/// <summary>
/// One way of delivering a notification to a target (email, a Slack channel, a Teams channel). Each channel is its own
/// notifier in the runtime (<see cref="SampleNotifications"/>), so a channel that fails is retried without re-sending the others.
/// </summary>
public interface INotificationChannel
{
    /// <summary>Returns whether the target has an address on this channel; a channel without one sends nothing.</summary>
    bool HasAddress(NotificationTarget target);

    /// <summary>Sends the notification to the target's address on this channel.</summary>
    ValueTask SendAsync(ExecutionNotification notification, NotificationTarget target, CancellationToken cancellationToken);
}
