#region notifications
using HyOpps;
using HyOpps.Integrations.Teams;
#endregion
using Microsoft.Extensions.Hosting;

namespace Snippets;

/// <summary>src/HyOpps.Integrations.Teams/README.md, "Channel notifications".</summary>
internal static class TeamsNotificationSnippets
{
    public static void Notifications(IHostApplicationBuilder builder, Func<string, CancellationToken, ValueTask<TeamsChannelAddress?>> teamsChannelOfOrgAsync)
    {
        #region notifications
        builder.Services.AddHyOpps(o => o.Notifications.DashboardBaseUrl = new Uri("https://ops.example.com/hyopps"))
            .AddTeams()                                    // TenantId, ClientId, ClientSecret of the app registration
            .AddTeamsNotifications(o =>                    // binds "HyOpps:TeamsNotifications" (TeamId, ChannelId, RefreshToken) first
                o.ChannelSelector = (n, ct) => n.Labels.TryGetValue("org", out var org) ? teamsChannelOfOrgAsync(org, ct) : default);
        #endregion
    }
}
