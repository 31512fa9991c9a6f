#region notifier
using HyOpps;
using HyOpps.Workflows.Notifications;
#endregion
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Snippets;

/// <summary>src/HyOpps.Workflows/README.md, Notifications.</summary>
internal static partial class NotificationsSnippets
{
    public static void Notifier(IHostApplicationBuilder builder)
    {
        #region notifier
        builder.Services.AddHyOpps(o => o.Notifications.DashboardBaseUrl = new Uri("https://ops.example.com/hyopps"))
            .UseSqlite("Data Source=hyopps.db")
            .AddEmailNotifications(o => o.To.Add("operators@example.com"))   // HyOpps.Integrations.Email
            .AddNotifier<PagerNotifier>("pager");
        #endregion
    }

    #region notifier
    public sealed partial class PagerNotifier(ILogger<PagerNotifier> logger) : IExecutionNotifier
    {
        public ValueTask NotifyAsync(ExecutionNotification notification, CancellationToken cancellationToken)
        {
            // EventId is the same on every redelivery: a channel that can deduplicate should do it by this id.
            Log(logger, notification.EventId, notification.Summary, notification.DashboardUrl);
            return ValueTask.CompletedTask;
        }

        [LoggerMessage(Level = LogLevel.Warning, Message = "{EventId}: {Summary} ({Link})")]
        private static partial void Log(ILogger logger, string eventId, string summary, Uri? link);
    }
    #endregion
}
