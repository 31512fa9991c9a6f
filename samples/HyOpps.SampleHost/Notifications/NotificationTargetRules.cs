using HyOpps.SampleHost.Api;
using HyOpps.SampleHost.Domain;

namespace HyOpps.SampleHost.Notifications;

/// <summary>Validates an org's notification target fields (the API and the org form), each error under its API field name.</summary>
internal static class NotificationTargetRules
{
    public static NotificationTarget Validate(FieldErrors errors, OrgRequest request, Func<FieldErrors, string, string?, string?> externalId)
    {
        string? email = null;
        if (!string.IsNullOrWhiteSpace(request.NotificationEmail))
        {
            email = request.NotificationEmail.Trim();
            if (InputRules.CheckEmail(email) is { } problem)
            {
                errors.Add("notification_email", problem);
                email = null;
            }
        }

        var team = externalId(errors, "notification_teams_team_id", request.NotificationTeamsTeamId);
        var channel = externalId(errors, "notification_teams_channel_id", request.NotificationTeamsChannelId);
        if ((team is null) != (channel is null) && !errors.Errors.ContainsKey("notification_teams_team_id") && !errors.Errors.ContainsKey("notification_teams_channel_id"))
        {
            errors.Add(team is null ? "notification_teams_team_id" : "notification_teams_channel_id",
                "A Teams notification channel needs both its team id and its channel id.");
        }

        return new NotificationTarget
        {
            Email = email,
            SlackChannelId = externalId(errors, "notification_slack_channel_id", request.NotificationSlackChannelId),
            TeamsTeamId = team,
            TeamsChannelId = channel,
        };
    }
}
