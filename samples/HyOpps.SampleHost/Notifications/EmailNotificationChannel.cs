using HyOpps.Integrations.Email;
using HyOpps.SampleHost.Domain;
using HyOpps.Workflows.Notifications;
using Microsoft.Extensions.Options;

namespace HyOpps.SampleHost.Notifications;

/// <summary>Email through the email integration's SMTP settings (the SMTP simulator in sandbox mode).</summary>
internal sealed class EmailNotificationChannel(IEmailSender sender, IOptionsMonitor<EmailOptions> email) : INotificationChannel
{
    private readonly EmailExecutionNotifier _notifier = new(sender, email, Options.Create(new EmailNotificationOptions()));

    public bool HasAddress(NotificationTarget target) => target.Email is not null;

    public ValueTask SendAsync(ExecutionNotification notification, NotificationTarget target, CancellationToken cancellationToken)
        => _notifier.NotifyAsync(notification, [target.Email!], cancellationToken);
}
