using Microsoft.Extensions.DependencyInjection;

namespace HyOpps.Workflows.Internal.Notifications;

/// <summary>Registers the notification dispatcher once, when the first notifier is added.</summary>
internal static class NotificationRegistration
{
    public static void AddCore(IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(NotificationsMarker)))
        {
            return;
        }

        services.AddSingleton<NotificationsMarker>();
    }

    /// <summary>Present when at least one notifier is registered: the runtime writes notification events only then.</summary>
    internal sealed class NotificationsMarker;
}
