using System.Text.Json;
using System.Text.Json.Serialization;
using HyOpps.Onboarding;
using HyOpps.SampleHost.Domain;

namespace HyOpps.SampleHost.Api;

/// <summary>A documentation link in a request.</summary>
public sealed record DocumentationLinkRequest(string? Title, string? Url);

/// <summary>The body of POST /api/orgs and PUT /api/orgs/{id}.</summary>
public sealed record OrgRequest(
    string? Name,
    bool? Active,
    int? MetabaseGroupId,
    string? TeamsTeamId,
    string? TeamsChannelId,
    string? SlackUserGroupId,
    string? SlackChannelId,
    string? AtlassianGroupId,
    IReadOnlyList<DocumentationLinkRequest>? DocumentationLinks,
    IReadOnlyList<string>? AllowedEmailDomains = null,
    string? NotificationEmail = null,
    string? NotificationSlackChannelId = null,
    string? NotificationTeamsTeamId = null,
    string? NotificationTeamsChannelId = null);

/// <summary>An org in a response.</summary>
public sealed record OrgResponse(
    string Id,
    string Name,
    bool Active,
    int? MetabaseGroupId,
    string? TeamsTeamId,
    string? TeamsChannelId,
    string? SlackUserGroupId,
    string? SlackChannelId,
    string? AtlassianGroupId,
    IReadOnlyList<DocumentationLink> DocumentationLinks,
    IReadOnlyList<string> AllowedEmailDomains,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? NotificationEmail,
    string? NotificationSlackChannelId,
    string? NotificationTeamsTeamId,
    string? NotificationTeamsChannelId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<FormerGroupRemovalResponse>? FormerGroupRemovals = null)
{
    public static OrgResponse From(OrgRecord org) => new(org.Id, org.Name, org.Active, org.MetabaseGroupId, org.TeamsTeamId, org.TeamsChannelId,
        org.SlackUserGroupId, org.SlackChannelId, org.AtlassianGroupId, org.DocumentationLinks, org.AllowedEmailDomains, org.CreatedAt, org.UpdatedAt,
        org.Notifications.Email, org.Notifications.SlackChannelId, org.Notifications.TeamsTeamId, org.Notifications.TeamsChannelId);
}

/// <summary>
/// A removal of an active user from a group their org no longer uses (in the answer to PUT /api/orgs/{id}): the integration
/// (<c>metabase</c>, <c>teams</c>, <c>slack</c>, <c>atlassian</c>), the former group id, and the remove_from_former_org_groups
/// execution (null when its start was recorded but not yet started: the host starts it shortly).
/// </summary>
public sealed record FormerGroupRemovalResponse(string UserId, string Email, string Integration, string FormerGroupId, string? ExecutionId);

/// <summary>The body of POST /api/users: adds a person to an org and starts new_partner_user.</summary>
/// <param name="StartAt">When onboarding starts (the person's first working day): a date (<c>2026-12-07</c>, midnight UTC) or a date and time with an offset; none or a past time on today starts at once.</param>
public sealed record AddUserRequest(string? OrgId, string? Email, string? FirstName, string? LastName, string? StartAt = null);

/// <summary>The body of PUT /api/users/{id}: the names (the email cannot change; remove and add the person instead).</summary>
public sealed record EditUserRequest(string? FirstName, string? LastName, string? Email);

/// <summary>A partner user in a response, with the external ids found so far.</summary>
public sealed record UserResponse(
    string Id,
    string OrgId,
    string Email,
    string FirstName,
    string LastName,
    string Status,
    int? MetabaseUserId,
    string? TeamsUserId,
    string? SlackUserId,
    string? AtlassianAccountId,
    string? OnboardingExecutionId,
    string? OffboardingExecutionId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    OnboardingCutShortResponse? OnboardingCutShort = null)
{
    public static UserResponse From(PartnerUserRecord user) => new(user.Id, user.OrgId, user.Email, user.FirstName, user.LastName, user.Status,
        user.MetabaseUserId, user.TeamsUserId, user.SlackUserId, user.AtlassianAccountId, user.OnboardingExecutionId, user.OffboardingExecutionId,
        user.CreatedAt, user.UpdatedAt, OnboardingCutShortResponse.From(user));
}

/// <summary>
/// An onboarding that ended before it finished: why (<c>cancelled</c>, or <c>failed</c> and not retried in time), when the host
/// began cleaning up, and whether it started a removal of the accounts created (<c>offboarding_execution_id</c> names it once started).
/// </summary>
public sealed record OnboardingCutShortResponse(string Reason, DateTimeOffset At, bool RemovalStarted)
{
    public static OnboardingCutShortResponse? From(PartnerUserRecord user) => user is { CutShortReason: { } reason, CutShortAt: { } at }
        ? new(reason, at, user.HasRecordedAccounts)
        : null;
}

/// <summary>The answer to adding or removing a user: the user and the execution that was started.</summary>
public sealed record UserWorkflowResponse(UserResponse User, string ExecutionId, string WorkflowName);

/// <summary>The optional body of an operator action.</summary>
public sealed record OperatorRequest(string? Reason);

/// <summary>The body of POST /api/executions/{id}/rerun: the step by id or by 1-based number, and an optional input override (admins only).</summary>
public sealed record RerunRequest(string? StepId, int? StepNumber, JsonElement? InputOverride, string? Reason);

/// <summary>The body of POST /api/account/api-keys.</summary>
public sealed record CreateApiKeyRequest(string? Name);

/// <summary>A newly issued API key; the key is shown this once.</summary>
public sealed record CreatedApiKeyResponse(string Id, string Name, string Key, DateTimeOffset CreatedAt);

/// <summary>The body of POST /api/account/password.</summary>
public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

/// <summary>The body of POST /api/accounts (admins only).</summary>
public sealed record CreateAccountRequest(string? UserName, string? Password, string? Role, string? OrgId);

/// <summary>An account in a response (never its password hash).</summary>
public sealed record AccountResponse(string Id, string UserName, string Role, string? OrgId, DateTimeOffset CreatedAt)
{
    public static AccountResponse From(Account account) => new(account.Id, account.UserName, account.Role, account.OrgId, account.CreatedAt);
}
