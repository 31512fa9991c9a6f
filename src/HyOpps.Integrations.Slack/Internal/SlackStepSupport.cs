namespace HyOpps.Integrations.Slack.Internal;

/// <summary>What the two Slack steps share: the privileged-account rule and the disabled-group check.</summary>
internal static class SlackStepSupport
{
    /// <summary>Fails permanently for a workspace owner or admin: HyOpps never adds or removes one.</summary>
    public static void EnsureNotPrivileged(SlackUser user)
    {
        if (user.IsPrivileged)
        {
            var role = user.IsPrimaryOwner ? "the primary owner" : user.IsOwner ? "an owner" : "an admin";
            throw StepException.Permanent(
                $"The Slack user {user.Id} is {role} of the workspace; HyOpps never manages privileged accounts, so nothing was added or removed. "
                + "Manage this person's user group membership by hand in Slack.",
                StepErrorTypes.PermissionDenied);
        }
    }

    /// <summary>Fails permanently when the org's user group is disabled: Slack would accept the member list and nobody would be reachable through it.</summary>
    public static async Task EnsureUserGroupEnabledAsync(SlackClient client, string userGroupId, CancellationToken cancellationToken)
    {
        var groups = await client.ListUserGroupsAsync(includeUsers: false, includeDisabled: true, cancellationToken).ConfigureAwait(false);
        var group = groups.FirstOrDefault(g => string.Equals(g.Id, userGroupId, StringComparison.Ordinal));
        if (group is { IsDisabled: true })
        {
            throw StepException.Permanent(
                $"Slack user group {userGroupId} (@{group.Handle}) is disabled: enable it in Slack (or with usergroups.enable), or fix the org's Slack user group id, "
                + "then retry this step.",
                StepErrorTypes.InvalidInput);
        }
    }
}
