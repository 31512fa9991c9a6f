using HyOpps.Integrations.Slack.Internal;
using HyOpps.Integrations.Shared;
using HyOpps.Workflows;

namespace HyOpps.Integrations.Slack;

/// <summary>Removes the person from the org's Slack user group and keeps every other member (offboarding).</summary>
/// <remarks>
/// Reads <see cref="RemoveUserFromSlackGroupInput"/> and acts only on the Slack user recorded by the person's onboarding,
/// never on one found by email (a definition skips the step when none was recorded); succeeds without change when the user
/// is not a member.
/// A workspace owner or admin, or a disabled user group, fails permanently and nothing is changed. Slack rejects an empty member
/// list, so removing the last member fails permanently with a message saying so. Running it again changes nothing.
/// </remarks>
[WorkflowStep(Id)]
public sealed class RemoveUserFromSlackGroupStep : IWorkflowStep<RemoveUserFromSlackGroupInput>
{
    /// <summary>The step id, <c>remove_user_from_slack_group</c>.</summary>
    public const string Id = "remove_user_from_slack_group";

    private readonly SlackConnection _slack;

    internal RemoveUserFromSlackGroupStep(SlackConnection slack) => _slack = slack;

    /// <inheritdoc />
    public async ValueTask<StepResult> ExecuteAsync(RemoveUserFromSlackGroupInput input, StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        var groupId = StepInputs.Required(input.UserGroupId, "user_group_id");
        var userId = StepInputs.Required(input.SlackUserId, "slack_user_id");
        _slack.EnsureConfigured();

        var email = input.Email.Trim().ToLowerInvariant();
        var failure = new SlackFailureContext(_slack.Options, email, groupId);
        try
        {
            await SlackStepSupport.EnsureUserGroupEnabledAsync(_slack.Client, groupId, cancellationToken).ConfigureAwait(false);
            if (await _slack.Client.GetUserAsync(userId, cancellationToken).ConfigureAwait(false) is { } user)
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
        var handle = await _slack.Locks.AcquireAsync(groupId, cancellationToken).ConfigureAwait(false);
        await using (handle.ConfigureAwait(false))
        {
            var members = await _slack.Client.ListUserGroupMembersAsync(groupId, cancellationToken).ConfigureAwait(false);
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

                await _slack.Client.UpdateUserGroupMembersAsync(groupId, remaining, cancellationToken).ConfigureAwait(false);
                members = await _slack.Client.ListUserGroupMembersAsync(groupId, cancellationToken).ConfigureAwait(false);
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
