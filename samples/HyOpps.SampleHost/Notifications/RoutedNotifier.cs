using HyOpps.Workflows.Notifications;

namespace HyOpps.SampleHost.Notifications;

/// <summary>One channel as a runtime notifier: routes each notification to its org's (or the global) target, if it has an address on the channel.</summary>
internal sealed class RoutedNotifier(INotificationChannel channel, NotificationRouter router) : IExecutionNotifier
{
    public async ValueTask NotifyAsync(ExecutionNotification notification, CancellationToken cancellationToken)
    {
        var target = await router.ResolveAsync(notification, cancellationToken);
        if (channel.HasAddress(target))
        {
            await channel.SendAsync(notification, target, cancellationToken);
        }
    }
}
