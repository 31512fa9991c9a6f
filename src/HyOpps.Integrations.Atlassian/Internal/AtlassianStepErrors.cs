using System.Net;

namespace HyOpps.Integrations.Atlassian.Internal;

/// <summary>Maps Atlassian failures to step failures with messages a person can act on.</summary>
internal static class AtlassianStepErrors
{
    private static readonly TimeSpan DefaultRateLimitWait = TimeSpan.FromSeconds(30);

    /// <summary>Reads the current options; settings that fail validation (when no host validated them at start-up) fail the step permanently.</summary>
    public static AtlassianOptions CurrentOptions(IOptionsMonitor<AtlassianOptions> monitor)
    {
        try
        {
            return monitor.CurrentValue;
        }
        catch (OptionsValidationException ex)
        {
            throw StepException.NotConfigured("Atlassian is misconfigured: " + ex.Message);
        }
    }

    public static StepException ToStepException(AtlassianApiException ex, AtlassianOptions options)
    {
        var status = ex.StatusCode;
        if (status is null)
        {
            return StepException.Transient(ex.Message, StepErrorTypes.Transient, null, ex);
        }

        switch (status.Value)
        {
            case HttpStatusCode.Unauthorized when ex.IsAdminApi:
                return StepException.Permanent(
                    $"The Atlassian Organization Admin API rejected the API key (401): check {options.Key(nameof(AtlassianOptions.OrgAdminApiKey))} "
                    + $"(an organization API key from Atlassian Administration > Settings > API keys, not a user API token) and "
                    + $"{options.Key(nameof(AtlassianOptions.OrgId))}. {ex.Message}",
                    StepErrorTypes.Unauthorized,
                    ex);
            case HttpStatusCode.Unauthorized:
                return StepException.Permanent(
                    $"Atlassian rejected the site credentials (401): check {options.Key(nameof(AtlassianOptions.Email))} and "
                    + $"{options.Key(nameof(AtlassianOptions.ApiToken))} (an API token of that account, from id.atlassian.com > Security > API tokens) "
                    + $"for {options.SiteUrl}. {ex.Message}",
                    StepErrorTypes.Unauthorized,
                    ex);
            case HttpStatusCode.Forbidden when ex.IsAdminApi:
                return StepException.Permanent(
                    $"The Atlassian organization API key may not invite users to organization {options.OrgId} (403): use an API key of that "
                    + $"organization with user management access ({options.Key(nameof(AtlassianOptions.OrgAdminApiKey))}, "
                    + $"{options.Key(nameof(AtlassianOptions.OrgId))}); invites need a paid subscription in the organization. {ex.Message}",
                    StepErrorTypes.PermissionDenied,
                    ex);
            case HttpStatusCode.Forbidden:
                return StepException.Permanent(
                    $"The Atlassian account {options.Email} ({options.Key(nameof(AtlassianOptions.Email))}) lacks permission on {options.SiteUrl} (403): "
                    + "it needs site admin permission (site admin, or the 'Administer Jira' global permission) to manage group members and invite users. "
                    + ex.Message,
                    StepErrorTypes.PermissionDenied,
                    ex);
            case HttpStatusCode.TooManyRequests:
                return StepException.Transient(
                    $"Atlassian is rate limiting HyOpps (429); retrying after {(ex.RetryAfter ?? DefaultRateLimitWait).TotalSeconds:0.#} s. {ex.Message}",
                    StepErrorTypes.RateLimited,
                    ex.RetryAfter ?? DefaultRateLimitWait,
                    ex);
            case HttpStatusCode.RequestTimeout:
            case >= HttpStatusCode.InternalServerError:
                return StepException.Transient(ex.Message, StepErrorTypes.Transient, ex.RetryAfter, ex);
            case HttpStatusCode.NotFound:
                return StepException.Permanent(ex.Message, StepErrorTypes.NotFound, ex);
            default:
                return StepException.Permanent(ex.Message, StepErrorTypes.Permanent, ex);
        }
    }

    public static StepException GroupNotFound(string groupId, AtlassianOptions options, AtlassianApiException? ex)
        => StepException.Permanent(
            $"The Atlassian group with id '{groupId}' does not exist on {options.SiteUrl}: set the org's Atlassian group id to the group's id "
            + "(not its name; GET /rest/api/3/group/bulk?groupName=<name> shows it), then retry the step."
            + (ex is null ? string.Empty : " " + ex.Message),
            StepErrorTypes.NotFound,
            ex);

    public static StepException HiddenEmail(string email, string groupId, int count)
        => StepException.Permanent(
            $"Cannot confirm the Atlassian account of {email}: the user search found {count} accounts matching but their email is hidden by "
            + "profile visibility; ask the person to make their email visible (Atlassian account > Profile and visibility > Contact: Anyone), "
            + $"or add the right account to group '{groupId}' by hand, then retry the step.",
            StepErrorTypes.NotFound);
}
