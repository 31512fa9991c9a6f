using System.Globalization;

namespace HyOpps.Integrations.Slack.Internal;

/// <summary>What a step was doing when a Slack call failed, to make the message actionable.</summary>
internal sealed record SlackFailureContext(SlackOptions Options, string Email, string UserGroupId, string? ChannelId = null);

/// <summary>Maps <see cref="SlackApiException"/> to <see cref="StepException"/>: transient or permanent, with a message a person can act on.</summary>
internal static class SlackFailures
{
    public static StepException ToStepException(SlackApiException ex, SlackFailureContext context)
    {
        var o = context.Options;
        var method = ex.Method;
        var group = context.UserGroupId;
        var tokenKey = method.StartsWith("admin.", StringComparison.Ordinal) ? o.Key(nameof(SlackOptions.AdminToken)) : o.Key(nameof(SlackOptions.BotToken));

        if (ex.IsTransient)
        {
            if (ex.Error == SlackErrorCodes.RateLimited || ex.StatusCode == System.Net.HttpStatusCode.TooManyRequests)
            {
                var wait = ex.RetryAfter is { } r ? $" after {r.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s" : " later";
                return StepException.Transient($"Slack rate-limited {method}; the step will be retried{wait}.", StepErrorTypes.RateLimited, ex.RetryAfter, ex);
            }

            var errorType = ex.Error == SlackErrorCodes.RequestTimeout ? StepErrorTypes.Timeout : StepErrorTypes.Transient;
            return StepException.Transient($"{ex.Message} This is temporary; the step will be retried.", errorType, ex.RetryAfter, ex);
        }

        var (message, type) = ex.Error switch
        {
            "not_allowed_token_type"
                => ($"Slack {method} does not accept this kind of token: admin.users.invite needs a user token (xoxp-) of an Enterprise Grid admin with admin.users:write in {tokenKey}.", StepErrorTypes.Unauthorized),
            "invalid_auth" or "not_authed" or "token_revoked" or "token_expired" or "account_inactive"
                => ($"Slack rejected the token for {method} ({ex.Error}): check {tokenKey}; the token may be wrong or revoked, or the Slack app uninstalled.", StepErrorTypes.Unauthorized),
            SlackErrorCodes.MissingScope
                => ($"The Slack token in {tokenKey} lacks the scope '{ex.Needed ?? "(not named)"}' that {method} needs (it has: {ex.Provided ?? "none"}): add the scope to the Slack app's OAuth scopes, reinstall the app and update the token.", StepErrorTypes.PermissionDenied),
            "permission_denied"
                => ($"Slack denied {method} on user group {group} (permission_denied): the workspace setting 'who can modify user groups' must allow everyone for a bot token. Ask a workspace admin to change it, or set {o.Key(nameof(SlackOptions.BotToken))} to a user token of a member allowed to manage user groups.", StepErrorTypes.PermissionDenied),
            "no_permission" or "restricted_action" or "ekm_access_denied" or "access_denied"
                => ($"Slack refused {method} for the token in {tokenKey} ({ex.Error}): the token's user or app lacks the permission; check the app's installation and the workspace's permission settings.", StepErrorTypes.PermissionDenied),
            "no_such_subteam" or "subteam_not_found"
                => ($"Slack user group {group} does not exist in this workspace ({ex.Error}): check the org's Slack user group id (S...).", StepErrorTypes.NotFound),
            SlackErrorCodes.UsersNotFound or SlackErrorCodes.UserNotFoundLegacy or "no_user"
                => ($"Slack has no user for {context.Email} ({ex.Error}) in {method}: invite them to the workspace, then retry this step.", StepErrorTypes.NotFound),
            "invalid_user" or "invalid_users" or "single_channel_guests_cannot_be_added" or "failed_for_some_users"
                => ($"Slack refused the member list of user group {group} ({ex.Error}) for {context.Email}: guests, bots and deactivated accounts cannot be members of user groups. Make them a full member of the workspace, then retry this step.", StepErrorTypes.InvalidInput),
            "plan_upgrade_required" or "paid_only" or "paid_teams_only"
                => ($"Slack user groups need a paid plan ({ex.Error} from {method}): upgrade the workspace or clear the org's Slack user group id.", StepErrorTypes.Permanent),
            "channel_not_found"
                => ($"Slack channel {context.ChannelId} was not found ({method}): check the org's Slack channel id; for a private channel, add the Slack app to it first.", StepErrorTypes.NotFound),
            "not_in_channel"
                => ($"The Slack app is not a member of channel {context.ChannelId}: add the app to the channel (/invite @your-app), then retry this step.", StepErrorTypes.PermissionDenied),
            "is_archived"
                => ($"Slack channel {context.ChannelId} is archived: unarchive it or change the org's Slack channel id, then retry this step.", StepErrorTypes.Permanent),
            "cant_invite" or "user_is_restricted" or "ura_max_channels" or "cant_invite_self" or "method_not_supported_for_channel_type"
                => ($"Slack would not invite {context.Email} to channel {context.ChannelId} ({ex.Error}): check the channel type and the person's account type.", StepErrorTypes.Permanent),
            "feature_not_enabled"
                => ($"admin.users.invite works only on Enterprise Grid (feature_not_enabled): invite {context.Email} to the workspace by hand and retry this step, or remove {o.Key(nameof(SlackOptions.AdminToken))}.", StepErrorTypes.NotConfigured),
            "team_not_found"
                => ($"Slack knows no workspace {o.TeamId} (team_not_found): check {o.Key(nameof(SlackOptions.TeamId))}.", StepErrorTypes.NotConfigured),
            "failed_to_validate_channels"
                => ($"Slack rejected the invitation channels (failed_to_validate_channels): check {o.Key(nameof(SlackOptions.InviteChannelIds))} and the org's Slack channel id.", StepErrorTypes.NotConfigured),
            "invalid_email"
                => ($"Slack rejected the email {context.Email} (invalid_email): correct the person's email, then retry this step.", StepErrorTypes.InvalidInput),
            "no_users_provided"
                => ($"Slack rejected an empty member list for user group {group} (no_users_provided).", StepErrorTypes.Permanent),
            "unknown_method"
                => ($"Slack does not know the method {method} at {o.BaseUrl} (unknown_method): check {o.Key(nameof(SlackOptions.BaseUrl))}.", StepErrorTypes.NotConfigured),
            _ when ex.Error.StartsWith("http_", StringComparison.Ordinal)
                => ($"{ex.Message} Check {o.Key(nameof(SlackOptions.BaseUrl))} (now {o.BaseUrl}).", StepErrorTypes.Permanent),
            _ => ($"{ex.Message}", StepErrorTypes.Permanent),
        };

        return StepException.Permanent(message, type, ex);
    }
}
