using System.Collections.Frozen;
using System.Net;

namespace HyOpps.Integrations.Slack.Internal;

/// <summary>Slack error codes HyOpps branches on, and which of them another attempt may fix.</summary>
internal static class SlackErrorCodes
{
    public const string RateLimited = "ratelimited";
    public const string UsersNotFound = "users_not_found";
    public const string UserNotFoundLegacy = "user_not_found";
    public const string AlreadyInChannel = "already_in_channel";
    public const string AlreadyInTeam = "already_in_team";
    public const string AlreadyInvited = "already_invited";
    public const string AlreadyInTeamInvitedUser = "already_in_team_invited_user";
    public const string MissingScope = "missing_scope";
    public const string RequestTimeout = "request_timeout";
    public const string NetworkError = "network_error";
    public const string InvalidResponse = "invalid_response";

    private static readonly FrozenSet<string> TransientErrors = FrozenSet.ToFrozenSet(
        [RateLimited, "internal_error", "fatal_error", "service_unavailable", RequestTimeout, NetworkError, "team_added_to_org"],
        StringComparer.Ordinal);

    public static bool IsTransient(string error, HttpStatusCode? statusCode)
        => TransientErrors.Contains(error)
        || statusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
        || (statusCode is { } code && (int)code >= 500);
}
