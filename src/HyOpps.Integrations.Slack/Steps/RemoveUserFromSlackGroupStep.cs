using HyOpps.Integrations.Slack.Internal;

namespace HyOpps.Integrations.Slack;

/// <summary>Removes the person from the org's Slack user group and keeps every other member (offboarding).</summary>
/// <remarks>
/// Reads <see cref="RemoveUserFromSlackGroupInput"/> and acts only on the Slack user recorded by the person's onboarding,
/// never on one found by email (a definition skips the step when none was recorded); succeeds without change when the user
/// is not a member.
/// A workspace owner or admin, or a disabled user group, fails permanently and nothing is changed. Slack rejects an empty member
/// list, so removing the last member fails permanently with a message saying so. Running it again changes nothing.
/// </remarks>
[HyOppsStep("remove_user_from_slack_group", typeof(SlackConnection), Required = [nameof(RemoveUserFromSlackGroupInput.UserGroupId), nameof(RemoveUserFromSlackGroupInput.SlackUserId)])]
public sealed partial class RemoveUserFromSlackGroupStep : IWorkflowStep<RemoveUserFromSlackGroupInput>
{
    private async ValueTask<StepResult> RunAsync(RemoveUserFromSlackGroupInput input, SlackOptions options, StepContext context, CancellationToken cancellationToken)
    {
        var (groupId, userId) = (input.UserGroupId, input.SlackUserId);
        var email = input.Email.Trim().ToLowerInvariant();
        var failure = new SlackFailureContext(options, email, groupId);
        try
        {
            await SlackStepSupport.EnsureUserGroupEnabledAsync(_connection.Client, groupId, cancellationToken).ConfigureAwait(false);
            if (await _connection.Client.GetUserAsync(userId, cancellationToken).ConfigureAwait(false) is { } user)
            {
                SlackStepSupport.EnsureNotPrivileged(user);
            }

            // A recorded user Slack no longer knows can still be listed in the group, so the list is cleaned either way.
            var (removed, count) = await RemoveFromUserGroupAsync(context, userId, groupId, email, cancellationToken).ConfigureAwait(false);
            return StepResult.Succeeded(new RemoveUserFromSlackGroupOutput
            {
                SlackUserId = userId,
                SlackUserGroupId = groupId,
                Removed = removed,
                MemberCount = count,
            });
        }
        catch (SlackApiException ex)
        {
            throw SlackFailures.ToStepException(ex, failure);
        }
    }

    private async Task<(bool Removed, int MemberCount)> RemoveFromUserGroupAsync(StepContext context, string userId, string groupId, string email, CancellationToken cancellationToken)
    {
        var handle = await _connection.Locks.AcquireAsync(groupId, cancellationToken).ConfigureAwait(false);
        await using (handle.ConfigureAwait(false))
        {
            var members = await _connection.Client.ListUserGroupMembersAsync(groupId, cancellationToken).ConfigureAwait(false);
            if (!members.Contains(userId, StringComparer.Ordinal))
            {
                SlackLog.NotInGroup(context.Logger, userId, groupId);
                return (false, members.Count);
            }

            for (var round = 1; ; round++)
            {
                var remaining = members.Where(m => !string.Equals(m, userId, StringComparison.Ordinal)).ToList();
                if (remaining.Count == 0)
                {
                    throw StepException.Permanent(
                        $"{email} ({userId}) is the only member of Slack user group {groupId}, and Slack rejects an empty member list: "
                        + "add another member to the group or disable it in Slack, then retry this step.",
                        StepErrorTypes.Permanent);
                }

                await _connection.Client.UpdateUserGroupMembersAsync(groupId, remaining, cancellationToken).ConfigureAwait(false);
                members = await _connection.Client.ListUserGroupMembersAsync(groupId, cancellationToken).ConfigureAwait(false);
                if (!members.Contains(userId, StringComparer.Ordinal))
                {
                    SlackLog.RemovedFromGroup(context.Logger, userId, groupId, members.Count);
                    return (true, members.Count);
                }

                if (round == AddUserToSlackGroupStep.MaxWriteRounds)
                {
                    throw StepException.Transient(
                        $"A concurrent writer put {userId} back into Slack user group {groupId} {round} times in a row: another tool keeps replacing its members. The step will be retried.");
                }

                SlackLog.ConcurrentWriterDetected(context.Logger, groupId, userId, round);
            }
        }
    }
}
