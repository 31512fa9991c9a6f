using HyOpps.Integrations.Metabase.Internal;

namespace HyOpps.Integrations.Metabase;

/// <summary>Removes the partner user from their org's Metabase group, for offboarding.</summary>
/// <remarks>
/// <para>
/// Reads <see cref="RemoveUserFromMetabaseGroupInput"/>: it acts only on the Metabase user recorded by the person's onboarding,
/// never on one found by email. It finds the membership id in <c>GET /api/permissions/membership</c>
/// (keyed by user id), deletes it, and reads the user back to confirm the group is gone. A user, group or membership that is
/// already absent is a success. An administrator (superuser or Administrators member) fails the step permanently and is left
/// alone. The All Users group is refused
/// (nobody can leave it; deactivate the account instead).
/// </para>
/// <para>Output: <see cref="RemoveUserFromMetabaseGroupOutput"/>.</para>
/// </remarks>
[HyOppsStep("remove_user_from_metabase_group", typeof(MetabaseConnection), Required = [nameof(RemoveUserFromMetabaseGroupInput.GroupId), nameof(RemoveUserFromMetabaseGroupInput.MetabaseUserId)])]
public sealed partial class RemoveUserFromMetabaseGroupStep : IWorkflowStep<RemoveUserFromMetabaseGroupInput>
{
    private async ValueTask<StepResult> RunAsync(RemoveUserFromMetabaseGroupInput input, MetabaseSession session, StepContext context, CancellationToken cancellationToken)
    {
        var (groupId, userId) = (input.GroupId, input.MetabaseUserId);
        var (settings, client) = session;

        var user = await MetabaseStepSupport.CallAsync(settings, $"reading the Metabase user {userId}", () => client.GetUserAsync(userId, cancellationToken))
            .ConfigureAwait(false);
        if (user is null)
        {
            return Done(userId, groupId, RemoveUserFromMetabaseGroupOutput.UserNotFound);
        }

        await MetabaseStepSupport.EnsureNotPrivilegedAsync(client, settings, user, cancellationToken).ConfigureAwait(false);
        var groups = await MetabaseStepSupport.CallAsync(settings, "listing the Metabase groups", () => client.ListGroupsAsync(cancellationToken)).ConfigureAwait(false);
        var group = groups.FirstOrDefault(g => g.Id == groupId);
        if (group is null)
        {
            return Done(user.Id, groupId, RemoveUserFromMetabaseGroupOutput.GroupNotFound);
        }

        if (group.IsAllUsers)
        {
            throw StepException.Permanent(
                $"The Metabase group {groupId} is the All Users group, which nobody can be removed from; deactivate the account instead, and fix the org's Metabase group id.",
                StepErrorTypes.InvalidInput);
        }

        var memberships = await MetabaseStepSupport.CallAsync(settings, "listing the Metabase memberships", () => client.ListMembershipsAsync(cancellationToken))
            .ConfigureAwait(false);
        var ours = memberships.TryGetValue(user.Id, out var list) ? list.Where(m => m.GroupId == groupId).ToList() : [];
        var action = RemoveUserFromMetabaseGroupOutput.NotMember;
        foreach (var membership in ours)
        {
            var deleted = await MetabaseStepSupport.CallAsync(
                settings,
                $"removing the Metabase user {user.Id} from the group {groupId} (membership {membership.MembershipId})",
                () => client.DeleteMembershipAsync(membership.MembershipId, cancellationToken)).ConfigureAwait(false);
            if (deleted)
            {
                action = RemoveUserFromMetabaseGroupOutput.Removed;
            }
        }

        var after = await MetabaseStepSupport.CallAsync(settings, $"reading the Metabase user {user.Id}", () => client.GetUserAsync(user.Id, cancellationToken))
            .ConfigureAwait(false);
        if (after is not null && after.AllGroupIds.Contains(groupId))
        {
            throw StepException.Transient(
                $"The Metabase user {user.Id} is still in the group {groupId} ('{group.Name}') after the membership was deleted: GET /api/user/{user.Id} lists it in user_group_memberships.",
                MetabaseStepSupport.NotVerified);
        }

        LogRemoved(context.Logger, user.Id, groupId, action);
        return Done(user.Id, groupId, action);
    }

    private static StepResult Done(int? userId, int groupId, string action)
        => StepResult.Succeeded(new RemoveUserFromMetabaseGroupOutput { MetabaseUserId = userId, MetabaseGroupId = groupId, Action = action, Verified = true });

    [LoggerMessage(Level = LogLevel.Information, Message = "The Metabase user {MetabaseUserId} is out of the group {MetabaseGroupId}, verified by read-back ({Action}).")]
    private static partial void LogRemoved(ILogger logger, int metabaseUserId, int metabaseGroupId, string action);
}
