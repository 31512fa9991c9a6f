using HyOpps.Integrations.Teams;
using Microsoft.Extensions.Options;

namespace HyOpps.SampleHost.Notifications;

/// <summary>Slack and Teams channel messages, routed like every sample notification to the org's (or the global) target.</summary>
internal static class ChatNotifications
{
    public static IHyOppsBuilder AddSampleChatNotifications(this IHyOppsBuilder hyopps, IConfiguration configuration)
    {
        hyopps.AddSlackNotifications();
        hyopps.Services.AddOptions<Integrations.Slack.SlackNotificationOptions>().Configure<NotificationRouter>((o, router) =>
            o.ChannelSelector = async (n, ct) => (await router.ResolveAsync(n, ct)).SlackChannelId);

        // Graph takes channel messages only from a signed-in user: without a refresh token (or in sandbox mode without one) Teams is left out.
        if (!string.IsNullOrWhiteSpace(configuration[$"{TeamsNotificationOptions.DefaultSectionName}:{nameof(TeamsNotificationOptions.RefreshToken)}"]))
        {
            hyopps.AddTeamsNotifications();
            hyopps.Services.AddOptions<TeamsNotificationOptions>().Configure<NotificationRouter>((o, router) =>
                o.ChannelSelector = async (n, ct) => (await router.ResolveAsync(n, ct)) is { TeamsTeamId: { } team, TeamsChannelId: { } channel }
                    ? new TeamsChannelAddress(team, channel)
                    : null);
        }

        return hyopps;
    }
}
