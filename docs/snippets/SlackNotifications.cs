#region notifications
using HyOpps;
#endregion
using Microsoft.Extensions.Hosting;

namespace Snippets;

/// <summary>src/HyOpps.Integrations.Slack/README.md, "Channel notifications".</summary>
internal static class SlackNotificationSnippets
{
    public static void Notifications(IHostApplicationBuilder builder, Func<string, CancellationToken, ValueTask<string?>> slackChannelOfOrgAsync)
    {
        #region notifications
        builder.Services.AddHyOpps(o => o.Notifications.DashboardBaseUrl = new Uri("https://ops.example.com/hyopps"))
            .AddSlack()                                    // the bot token also needs chat:write
            .AddSlackNotifications(o =>                    // binds "HyOpps:SlackNotifications" (ChannelId) first
                o.ChannelSelector = (n, ct) => n.Labels.TryGetValue("org", out var org) ? slackChannelOfOrgAsync(org, ct) : default);
        #endregion
    }
}
