using System.Net;

namespace HyOpps.Integrations.Atlassian.Internal;

/// <summary>What the two Atlassian steps share: the privileged-account rule and the group-readability check.</summary>
internal static class AtlassianStepSupport
{
    /// <summary>The groups whose members administer the site or the organization (Atlassian's default admin groups); compared case-insensitively.</summary>
    public static readonly IReadOnlyList<string> AdminGroupNames = ["site-admins", "org-admins", "administrators", "jira-administrators"];

    /// <summary>The name prefixes of the product admin groups Atlassian creates per site (<c>jira-admins-acme</c>, <c>confluence-admins-acme</c>).</summary>
    public static readonly IReadOnlyList<string> AdminGroupPrefixes = ["jira-admins", "confluence-admins"];

    /// <summary>Fails permanently when the account is in one of the admin groups: HyOpps never adds or removes a site or org admin.</summary>
    public static async Task EnsureNotPrivilegedAsync(AtlassianClient client, string accountId, CancellationToken cancellationToken)
    {
        var groups = await client.GetUserGroupsAsync(accountId, cancellationToken).ConfigureAwait(false) ?? [];
        var admin = groups.FirstOrDefault(g => AdminGroupNames.Contains(g.Name, StringComparer.OrdinalIgnoreCase)
            || AdminGroupPrefixes.Any(p => g.Name.StartsWith(p, StringComparison.OrdinalIgnoreCase)));
        if (admin is not null)
        {
            throw StepException.Permanent(
                $"The Atlassian account {accountId} is an administrator (member of the group '{admin.Name}'); HyOpps never manages privileged accounts, "
                + "so nothing was added or removed. Manage this account's groups by hand in Atlassian Administration.",
                StepErrorTypes.PermissionDenied);
        }
    }

    /// <summary>
    /// Reads the group's member count: Jira answers a user search with an empty list (not 403) when the account lacks "Browse users
    /// and groups", so before "no account has this email" is concluded this call tells the two apart.
    /// </summary>
    public static async Task EnsureGroupReadableAsync(AtlassianClient client, string groupId, AtlassianOptions options, CancellationToken cancellationToken)
    {
        try
        {
            await client.CountGroupMembersAsync(groupId, cancellationToken).ConfigureAwait(false);
        }
        catch (AtlassianApiException ex) when (ex.StatusCode == HttpStatusCode.Forbidden)
        {
            throw MissingBrowsePermission(groupId, options, ex);
        }
        catch (AtlassianApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            throw AtlassianStepErrors.GroupNotFound(groupId, options, ex);
        }
    }

    public static StepException MissingBrowsePermission(string groupId, AtlassianOptions options, AtlassianApiException ex)
        => StepException.Permanent(
            $"The Atlassian account {options.Email} ({options.Key(nameof(AtlassianOptions.Email))}) cannot read group '{groupId}' on {options.SiteUrl} (403): "
            + "it lacks the global permission \"Browse users and groups\", without which Jira's user search finds nobody. Grant it "
            + "(Jira settings > System > Global permissions), then retry the step. " + ex.Message,
            StepErrorTypes.PermissionDenied,
            ex);
}
