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
        services.AddSingleton<NotificationDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<NotificationDispatcher>());
    }

    private sealed class NotificationsMarker;
}
