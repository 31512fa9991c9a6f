using HyOpps.Workflows.Notifications;

namespace HyOpps.Integrations.Slack;

/// <summary>Settings of the Slack channel notifier, bound from the configuration section <c>HyOpps:SlackNotifications</c>.</summary>
/// <remarks>
/// The notifier posts with the integration's <see cref="SlackOptions.BotToken"/>, which then also needs the scope <c>chat:write</c>;
/// the Slack app must be a member of every channel it posts to (<c>/invite @your-app</c>).
/// </remarks>
public sealed partial class SlackNotificationOptions
{
    /// <summary>Gets or sets the channel id (<c>C...</c>) that gets every notification <see cref="ChannelSelector"/> does not place.</summary>
    /// <remarks>The default value is <see langword="null"/>: without a selector's answer, a notification is not posted.</remarks>
    public string? ChannelId { get; set; }

    /// <summary>Gets or sets a function that picks the channel of one notification, for example the channel of the org in its labels.</summary>
    /// <remarks>
    /// Returning <see langword="null"/> falls back to <see cref="ChannelId"/>. Set in code only; it runs on the notification
    /// dispatcher (a slow lookup delays later notifications), and an exception it throws fails this delivery, to be retried.
    /// The default value is <see langword="null"/>.
    /// </remarks>
    public Func<ExecutionNotification, CancellationToken, ValueTask<string?>>? ChannelSelector { get; set; }
}
