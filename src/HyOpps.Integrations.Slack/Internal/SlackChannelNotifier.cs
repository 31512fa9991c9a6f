using HyOpps.Workflows.Notifications;

namespace HyOpps.Integrations.Slack.Internal;

/// <summary>Posts each notification to a Slack channel with <c>chat.postMessage</c>.</summary>
/// <remarks>
/// A failure throws, so the dispatcher tries again with backoff; a failure no retry can fix (an unknown channel, a revoked
/// token, a missing scope) is also logged as an error saying what to change. Slack has no idempotency key for messages,
/// so a crash between posting and recording the delivery can post the same event twice.
/// </remarks>
internal sealed partial class SlackChannelNotifier(
    IServiceProvider services,
    IOptions<SlackNotificationOptions> options,
    IOptions<SlackOptions> slackOptions,
    ILogger<SlackChannelNotifier> logger) : IExecutionNotifier
{
    public async ValueTask NotifyAsync(ExecutionNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var settings = options.Value;
        var selected = settings.ChannelSelector is { } select ? await select(notification, cancellationToken).ConfigureAwait(false) : null;
        var channel = string.IsNullOrWhiteSpace(selected) ? settings.ChannelId?.Trim() : selected.Trim();
        if (string.IsNullOrEmpty(channel))
        {
            LogNoChannel(logger, notification.Kind, notification.ExecutionId, settings.Key(nameof(SlackNotificationOptions.ChannelId)));
            return;
        }

        var client = services.GetRequiredService<SlackClient>();
        try
        {
            var posted = await client.PostMessageAsync(SlackNotificationMessage.Create(notification, channel), cancellationToken).ConfigureAwait(false);
            LogPosted(logger, notification.Kind, notification.ExecutionId, posted.Channel, posted.Ts);
        }
        catch (SlackApiException ex) when (!ex.IsTransient)
        {
            LogPermanentFailure(logger, notification.ExecutionId, Advice(ex, channel, settings, slackOptions.Value));
            throw;
        }
        catch (InvalidOperationException ex)
        {
            // The Slack integration has no token: every retry fails the same way until someone sets it.
            LogPermanentFailure(logger, notification.ExecutionId, ex.Message);
            throw;
        }
    }

    private static string Advice(SlackApiException ex, string channel, SlackNotificationOptions settings, SlackOptions slack) => ex.Error switch
    {
        "channel_not_found"
            => $"Slack channel {channel} was not found (channel_not_found): check {settings.Key(nameof(SlackNotificationOptions.ChannelId))} or the org's channel; for a private channel, add the Slack app to it first.",
        "not_in_channel"
            => $"The Slack app is not a member of channel {channel} (not_in_channel): add it with /invite @your-app in that channel.",
        "is_archived"
            => $"Slack channel {channel} is archived (is_archived): unarchive it or choose another channel.",
        SlackErrorCodes.MissingScope
            => $"The Slack token in {slack.Key(nameof(SlackOptions.BotToken))} lacks the scope '{ex.Needed ?? "chat:write"}' (it has: {ex.Provided ?? "none"}): add it to the Slack app, reinstall the app and update the token.",
        "invalid_auth" or "not_authed" or "token_revoked" or "token_expired" or "account_inactive"
            => $"Slack rejected the token in {slack.Key(nameof(SlackOptions.BotToken))} ({ex.Error}): the token may be wrong or revoked, or the Slack app uninstalled.",
        _ => ex.Message,
    };

    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "Posted the {Kind} notification of execution {ExecutionId} to Slack channel {ChannelId} (ts {Ts})")]
    private static partial void LogPosted(ILogger logger, ExecutionNotificationKind kind, string executionId, string channelId, string ts);

    [LoggerMessage(EventId = 41, Level = LogLevel.Debug, Message = "No Slack channel for the {Kind} notification of execution {ExecutionId}: the selector chose none and {ChannelKey} is not set")]
    private static partial void LogNoChannel(ILogger logger, ExecutionNotificationKind kind, string executionId, string channelKey);

    [LoggerMessage(EventId = 42, Level = LogLevel.Error, Message = "Slack notification of execution {ExecutionId} cannot be posted until this is fixed: {Advice}")]
    private static partial void LogPermanentFailure(ILogger logger, string executionId, string advice);
}
