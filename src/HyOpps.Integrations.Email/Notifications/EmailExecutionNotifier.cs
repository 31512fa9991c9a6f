using System.Globalization;
using System.Net;
using HyOpps.Integrations.Email.Internal;
using HyOpps.Workflows.Notifications;
using MimeKit;

namespace HyOpps.Integrations.Email;

/// <summary>
/// Sends execution notifications by email: the runtime's one-line summary, the workflow, step and execution, and the
/// dashboard link; never the labels, inputs or errors. Registered by <c>AddEmailNotifications</c>.
/// </summary>
/// <remarks>
/// The <c>Message-Id</c> derives from the event id, so a redelivered notification carries the same id and mail servers
/// and clients that deduplicate by it show one message.
/// </remarks>
public sealed class EmailExecutionNotifier : IExecutionNotifier
{
    private readonly IEmailSender _sender;
    private readonly IOptionsMonitor<EmailOptions> _email;
    private readonly IOptions<EmailNotificationOptions> _options;

    /// <summary>Initializes a new instance of the <see cref="EmailExecutionNotifier"/> class.</summary>
    /// <param name="sender">Sends the email.</param>
    /// <param name="email">The SMTP settings, for the sender address.</param>
    /// <param name="options">The recipients and subject prefix.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public EmailExecutionNotifier(IEmailSender sender, IOptionsMonitor<EmailOptions> email, IOptions<EmailNotificationOptions> options)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(email);
        ArgumentNullException.ThrowIfNull(options);
        _sender = sender;
        _email = email;
        _options = options;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">SMTP is not configured, or no recipient is set.</exception>
    /// <exception cref="EmailApiException">The server refused the message.</exception>
    public ValueTask NotifyAsync(ExecutionNotification notification, CancellationToken cancellationToken)
        => NotifyAsync(notification, [.. _options.Value.To], cancellationToken);

    /// <summary>Sends one notification to the given addresses rather than the configured ones: for a host that routes per org.</summary>
    /// <param name="notification">The event.</param>
    /// <param name="to">The recipients' addresses.</param>
    /// <param name="cancellationToken">The token to cancel the send.</param>
    /// <returns>A task that completes when the server accepted the message.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">SMTP is not configured, no recipient is given, or one is not an address.</exception>
    /// <exception cref="EmailApiException">The server refused the message.</exception>
    public async ValueTask NotifyAsync(ExecutionNotification notification, IReadOnlyCollection<string> to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        ArgumentNullException.ThrowIfNull(to);
        var settings = _email.CurrentValue;
        if (!settings.IsConfigured)
        {
            throw new InvalidOperationException(settings.NotConfiguredMessage);
        }

        if (to.Count == 0)
        {
            throw new InvalidOperationException($"No recipient for email notifications: set {_options.Value.SectionPath}:To.");
        }

        if (string.IsNullOrWhiteSpace(settings.From) || !MailboxAddress.TryParse(settings.From.Trim(), out var from))
        {
            throw new InvalidOperationException($"{settings.SectionPath}:From is not set to a sender address.");
        }

        var message = new MimeMessage
        {
            Subject = $"{_options.Value.SubjectPrefix} {notification.Summary}".Trim(),
            MessageId = DocumentationEmailComposer.CreateMessageId("notification:" + notification.EventId, from),
            Date = notification.OccurredAt,
        };
        message.From.Add(from);
        foreach (var address in to)
        {
            message.To.Add(MailboxAddress.TryParse(address?.Trim() ?? string.Empty, out var mailbox) && DocumentationEmailComposer.IsCompleteAddress(mailbox)
                ? mailbox
                : throw new InvalidOperationException($"'{address}' is not an email address; fix the notification recipients."));
        }

        message.Body = new BodyBuilder { TextBody = TextBody(notification), HtmlBody = HtmlBody(notification) }.ToMessageBody();
        await _sender.SendAsync(message, cancellationToken).ConfigureAwait(false);
    }

    private static IEnumerable<(string Label, string Value)> Facts(ExecutionNotification n)
    {
        yield return ("Workflow", n.WorkflowName);
        if (n.StepId is { } step)
        {
            yield return ("Step", step);
        }

        yield return ("Execution", n.ExecutionId);
        yield return ("When", n.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
    }

    private static string TextBody(ExecutionNotification n)
    {
        var lines = new List<string> { n.Summary, string.Empty };
        lines.AddRange(Facts(n).Select(f => $"{f.Label}: {f.Value}"));
        if (n.DashboardUrl is { } url)
        {
            lines.Add(string.Empty);
            lines.Add($"Open it in the dashboard: {url.AbsoluteUri}");
        }

        return string.Join("\r\n", lines) + "\r\n";
    }

    private static string HtmlBody(ExecutionNotification n)
    {
        var facts = string.Concat(Facts(n).Select(f => $"<tr><th align=\"left\">{WebUtility.HtmlEncode(f.Label)}</th><td>{WebUtility.HtmlEncode(f.Value)}</td></tr>"));
        var link = n.DashboardUrl is { } url ? $"<p><a href=\"{WebUtility.HtmlEncode(url.AbsoluteUri)}\">Open it in the dashboard</a></p>" : string.Empty;
        return $"<p><strong>{WebUtility.HtmlEncode(n.Summary)}</strong></p><table>{facts}</table>{link}";
    }
}
