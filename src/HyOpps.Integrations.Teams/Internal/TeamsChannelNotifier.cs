using HyOpps.Workflows.Notifications;
using Microsoft.Graph;
using Microsoft.Graph.Authentication;
using Microsoft.Graph.Models;
using Microsoft.Kiota.Abstractions;

namespace HyOpps.Integrations.Teams.Internal;

/// <summary>Posts each notification to a Teams channel through Microsoft Graph, as the user of a delegated credential.</summary>
/// <remarks>
/// A failure throws, so the dispatcher tries again with backoff; one no retry can fix (an unknown team or channel, 401/403,
/// a refused refresh token) is also logged as an error saying what to change. Graph has no idempotency key for messages, so a
/// crash between posting and recording the delivery can post the same event twice.
/// </remarks>
internal sealed partial class TeamsChannelNotifier : IExecutionNotifier
{
    private readonly TeamsNotificationOptions _settings;
    private readonly TeamsOptions _teams;
    private readonly IHttpClientFactory _httpClientFactory;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Azure.Core.TokenCredential? _credential;

    public TeamsChannelNotifier(
        IOptions<TeamsNotificationOptions> settings, IOptions<TeamsOptions> teams, IHttpClientFactory httpClientFactory, TimeProvider time, ILogger<TeamsChannelNotifier> logger)
    {
        _settings = settings.Value;
        _teams = teams.Value;
        _httpClientFactory = httpClientFactory;
        _time = time;
        _logger = logger;
        _credential = _settings.Credential
            ?? (string.IsNullOrWhiteSpace(_settings.RefreshToken) ? null : new TeamsRefreshTokenCredential(_teams, _settings, httpClientFactory, time));
    }

    public async ValueTask NotifyAsync(ExecutionNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var selected = _settings.ChannelSelector is { } select ? await select(notification, cancellationToken).ConfigureAwait(false) : null;
        var channel = selected
            ?? (string.IsNullOrWhiteSpace(_settings.TeamId) || string.IsNullOrWhiteSpace(_settings.ChannelId)
                ? null
                : new TeamsChannelAddress(_settings.TeamId.Trim(), _settings.ChannelId.Trim()));
        if (channel is null)
        {
            LogNoChannel(_logger, notification.Kind, notification.ExecutionId, _settings.Key(nameof(TeamsNotificationOptions.ChannelId)));
            return;
        }

        if (_credential is null)
        {
            var message = $"Teams notifications post as a user (Graph allows no app-only channel messages): set {_settings.Key(nameof(TeamsNotificationOptions.RefreshToken))} or a delegated {nameof(TeamsNotificationOptions.Credential)}.";
            LogPermanentFailure(_logger, notification.ExecutionId, message);
            throw new InvalidOperationException(message);
        }

        var body = new ChatMessage { Body = new ItemBody { ContentType = BodyType.Html, Content = TeamsNotificationMessage.ToHtml(notification) } };
        try
        {
            var posted = await CreateClient(_credential).Teams[channel.TeamId].Channels[channel.ChannelId].Messages
                .PostAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
            LogPosted(_logger, notification.Kind, notification.ExecutionId, channel.ChannelId, posted?.Id);
        }
        catch (ApiException ex) when (GraphFailure.From(ex, _time) is { StatusCode: 400 or 401 or 403 or 404 } failure)
        {
            LogPermanentFailure(_logger, notification.ExecutionId, Advice(failure, channel));
            throw;
        }
        catch (Azure.Identity.AuthenticationFailedException ex)
        {
            LogPermanentFailure(_logger, notification.ExecutionId, ex.Message);
            throw;
        }
    }

    private string Advice(GraphFailure failure, TeamsChannelAddress channel) => failure.StatusCode switch
    {
        404 => $"Microsoft Graph found no channel {channel.ChannelId} in team {channel.TeamId} ({failure.Describe()}): check {_settings.Key(nameof(TeamsNotificationOptions.TeamId))} and {_settings.Key(nameof(TeamsNotificationOptions.ChannelId))} or the org's Teams channel.",
        401 => $"Microsoft Graph refused the token ({failure.Describe()}): channel messages need a delegated token of a user; application permissions are allowed only for message import.",
        403 => $"Microsoft Graph denied posting to channel {channel.ChannelId} ({failure.Describe()}): the posting user must be a member of team {channel.TeamId} (and of a private channel), and the app needs the delegated permission ChannelMessage.Send with consent.",
        _ => $"Microsoft Graph refused the message for channel {channel.ChannelId} ({failure.Describe()}).",
    };

    private GraphServiceClient CreateClient(Azure.Core.TokenCredential credential)
    {
        var baseUrl = new Uri(_teams.GraphBaseUrl);

        // The token provider attaches tokens only to allowed hosts; Graph's own, or the configured one (a sovereign cloud or a simulator).
        var authentication = new AzureIdentityAuthenticationProvider(
            credential, allowedHosts: [baseUrl.Host], observabilityOptions: null, isCaeEnabled: false,
            scopes: [$"{baseUrl.GetLeftPart(UriPartial.Authority)}/ChannelMessage.Send"]);
        return new GraphServiceClient(_httpClientFactory.CreateClient(TeamsServiceNames.GraphHttpClient), authentication, _teams.GraphBaseUrl.TrimEnd('/'));
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "Posted the {Kind} notification of execution {ExecutionId} to Teams channel {ChannelId} (message {MessageId})")]
    private static partial void LogPosted(ILogger logger, ExecutionNotificationKind kind, string executionId, string channelId, string? messageId);

    [LoggerMessage(EventId = 41, Level = LogLevel.Debug, Message = "No Teams channel for the {Kind} notification of execution {ExecutionId}: the selector chose none and {ChannelKey} is not set")]
    private static partial void LogNoChannel(ILogger logger, ExecutionNotificationKind kind, string executionId, string channelKey);

    [LoggerMessage(EventId = 42, Level = LogLevel.Error, Message = "Teams notification of execution {ExecutionId} cannot be posted until this is fixed: {Advice}")]
    private static partial void LogPermanentFailure(ILogger logger, string executionId, string advice);
}
