using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Domain;
using HyOpps.SampleHost.Workflows;
using HyOpps.Workflows.Notifications;
using Microsoft.Extensions.Options;

namespace HyOpps.SampleHost.Notifications;

/// <summary>Picks where a notification goes: the target of the org named by the execution's <c>org</c> label, else the global one.</summary>
internal sealed class NotificationRouter(OrgStore orgs, IOptionsMonitor<SampleNotificationOptions> options)
{
    public async Task<NotificationTarget> ResolveAsync(ExecutionNotification notification, CancellationToken cancellationToken)
    {
        if (notification.Labels.TryGetValue(PartnerWorkflowNames.OrgLabel, out var orgId)
            && orgId.Length <= InputRules.MaxExternalIdLength
            && await orgs.GetAsync(orgId, cancellationToken) is { Notifications.IsEmpty: false } org)
        {
            return org.Notifications;
        }

        var global = options.CurrentValue;
        return new NotificationTarget
        {
            Email = Blank(global.Email),
            SlackChannelId = Blank(global.SlackChannelId),
            TeamsTeamId = Blank(global.TeamsTeamId),
            TeamsChannelId = Blank(global.TeamsChannelId),
        };
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
