using System.Globalization;
using HyOpps.Integrations.Slack.Internal;

namespace HyOpps.Integrations.Slack;

/// <summary>Adds the person to the org's Slack user group without removing anyone, and optionally invites them to the org's channel.</summary>
/// <remarks>
/// Reads <see cref="AddUserToSlackGroupInput"/>; a definition that has no user group for the person skips the step with its
/// own rule (<c>When</c>) rather than mapping an empty id. A disabled user group (<c>date_delete</c> set in <c>usergroups.list</c>) fails permanently, and so
/// does a person who is a workspace owner or admin (nothing is changed for them).
/// Looks the person up by email, reads the members, writes the union (Slack replaces the list) and reads again to
/// confirm, writing again if a concurrent writer dropped them; within the process the group is locked meanwhile.
/// A person without a Slack account is invited when an admin token is set (the step then waits, retrying, until the
/// account exists); otherwise the step fails permanently asking for the invitation. Running it again changes nothing.
/// </remarks>
[HyOppsStep("add_user_to_slack_group", typeof(SlackConnection), Required = [nameof(AddUserToSlackGroupInput.UserGroupId), nameof(AddUserToSlackGroupInput.Email)])]
public sealed partial class AddUserToSlackGroupStep : IWorkflowStep<AddUserToSlackGroupInput>
{
    // Each round is a write and a confirming read; more rounds than this means a writer elsewhere keeps replacing the list.
    internal const int MaxWriteRounds = 5;

    private async ValueTask<StepResult> RunAsync(AddUserToSlackGroupInput input, SlackOptions options, StepContext context, CancellationToken cancellationToken)
    {
        var groupId = input.UserGroupId;
        var channelId = string.IsNullOrWhiteSpace(input.ChannelId) ? null : input.ChannelId.Trim();
        var email = input.Email.ToLowerInvariant();
        var failure = new SlackFailureContext(options, email, groupId, channelId);
        try
        {
            var user = await _connection.Client.LookupUserByEmailAsync(email, cancellationToken).ConfigureAwait(false)
                ?? throw await WaitForAccountAsync(context, input, failure, cancellationToken).ConfigureAwait(false);
            CheckCanJoinUserGroup(user, failure);
            await SlackStepSupport.EnsureUserGroupEnabledAsync(_connection.Client, groupId, cancellationToken).ConfigureAwait(false);

            var (alreadyMember, memberCount) = await AddToUserGroupAsync(context, user.Id, groupId, cancellationToken).ConfigureAwait(false);

            string? channelInvite = null;
            if (channelId is not null)
            {
                var invited = await _connection.Client.InviteToConversationAsync(channelId, user.Id, cancellationToken).ConfigureAwait(false);
                channelInvite = invited ? "invited" : "already_in_channel";
                SlackLog.ChannelInvite(context.Logger, user.Id, channelId, channelInvite);
            }

            return StepResult.Succeeded(new AddUserToSlackGroupOutput
            {
                SlackUserId = user.Id,
                SlackUserGroupId = groupId,
                AlreadyMember = alreadyMember,
                MemberCount = memberCount,
                SlackChannelId = channelId,
                ChannelInvite = channelInvite,
                InvitedToWorkspace = context.GetCheckpoint<SlackInviteCheckpoint>()?.InviteSent == true,
            });
        }
        catch (SlackApiException ex)
        {
            throw SlackFailures.ToStepException(ex, failure);
        }
    }

    private static void CheckCanJoinUserGroup(SlackUser user, SlackFailureContext failure)
    {
        SlackStepSupport.EnsureNotPrivileged(user);
        if (user.Deleted)
        {
            throw StepException.Permanent(
                $"The Slack account {user.Id} of {failure.Email} is deactivated: reactivate it in Slack, then retry this step.",
                StepErrorTypes.InvalidInput);
        }

        if (user.IsBot)
        {
            throw StepException.Permanent(
                $"The Slack user {user.Id} found for {failure.Email} is a bot; bots cannot be members of user groups.",
                StepErrorTypes.InvalidInput);
        }

        if (user.IsRestricted || user.IsUltraRestricted)
        {
            var kind = user.IsUltraRestricted ? "single-channel guest" : "multi-channel guest";
            throw StepException.Permanent(
                $"{failure.Email} is a {kind} in Slack ({user.Id}), and guests cannot be members of user groups: make them a full member of the workspace, "
                + "or clear the org's Slack user group id, then retry this step.",
                StepErrorTypes.InvalidInput);
        }
    }

    private async Task<(bool AlreadyMember, int MemberCount)> AddToUserGroupAsync(StepContext context, string userId, string groupId, CancellationToken cancellationToken)
    {
        var handle = await _connection.Locks.AcquireAsync(groupId, cancellationToken).ConfigureAwait(false);
        await using (handle.ConfigureAwait(false))
        {
            var members = await _connection.Client.ListUserGroupMembersAsync(groupId, cancellationToken).ConfigureAwait(false);
            if (members.Contains(userId, StringComparer.Ordinal))
            {
                SlackLog.AlreadyInGroup(context.Logger, userId, groupId);
                return (true, members.Count);
            }

            for (var round = 1; ; round++)
            {
                // usergroups.users.update replaces the list: keep everyone we read, append the person.
                await _connection.Client.UpdateUserGroupMembersAsync(groupId, [.. members, userId], cancellationToken).ConfigureAwait(false);

                // Writers in other processes (or people in the Slack UI) can replace the list between our read and write.
                members = await _connection.Client.ListUserGroupMembersAsync(groupId, cancellationToken).ConfigureAwait(false);
                if (members.Contains(userId, StringComparer.Ordinal))
                {
                    SlackLog.AddedToGroup(context.Logger, userId, groupId, members.Count);
                    return (false, members.Count);
                }

                if (round == MaxWriteRounds)
                {
                    throw StepException.Transient(
                        $"Slack user group {groupId} lost {userId} to a concurrent writer {MaxWriteRounds} times in a row: another tool keeps replacing its members. The step will be retried.");
                }

                SlackLog.ConcurrentWriterDetected(context.Logger, groupId, userId, round);
            }
        }
    }

    private async Task<StepException> WaitForAccountAsync(StepContext context, AddUserToSlackGroupInput input, SlackFailureContext failure, CancellationToken cancellationToken)
    {
        var email = failure.Email;
        if (!_connection.Options.CanInvite)
        {
            return StepException.Permanent(
                $"{email} has no Slack account: invite them to the workspace, then retry this step. "
                + $"(To have HyOpps send Enterprise Grid invitations, set {_connection.Options.Key(nameof(SlackOptions.AdminToken))} and {_connection.Options.Key(nameof(SlackOptions.TeamId))}.)",
                StepErrorTypes.NotFound);
        }

        var interval = _connection.Options.AccountWaitInterval;
        var checkpoint = context.GetCheckpoint<SlackInviteCheckpoint>();
        if (checkpoint is not { InviteSent: true })
        {
            IReadOnlyList<string> channels = failure.ChannelId is { } channel ? [channel] : _connection.Options.GetInviteChannelIds();
            if (channels.Count == 0)
            {
                return StepException.Permanent(
                    $"{email} has no Slack account and cannot be invited: Slack's admin.users.invite needs a channel. "
                    + $"Set {_connection.Options.Key(nameof(SlackOptions.InviteChannelIds))} or give the org a Slack channel id, then retry this step.",
                    StepErrorTypes.NotConfigured);
            }

            await _connection.Client.InviteUserToWorkspaceAsync(email, channels, input.DisplayName, cancellationToken).ConfigureAwait(false);
            var invitedAt = context.TimeProvider.GetUtcNow();
            await context.SaveCheckpointAsync(new SlackInviteCheckpoint { InviteSent = true, InvitedAt = invitedAt }, cancellationToken).ConfigureAwait(false);
            SlackLog.InvitedToWorkspace(context.Logger, _connection.Options.TeamId!);
            return StepException.Transient(
                $"Invited {email} to the Slack workspace {_connection.Options.TeamId}; waiting for them to accept before adding them to user group {failure.UserGroupId}.",
                StepErrorTypes.NotFound,
                interval);
        }

        var checks = checkpoint.Checks + 1;
        var sent = checkpoint.InvitedAt.ToString("u", CultureInfo.InvariantCulture);
        if (checks >= _connection.Options.AccountWaitAttempts)
        {
            // Start a fresh wait for an operator's retry, without sending a second invitation.
            await context.SaveCheckpointAsync(checkpoint with { Checks = 0 }, cancellationToken).ConfigureAwait(false);
            return StepException.Permanent(
                $"{email} was invited to Slack at {sent} but still has no account after {checks} checks: ask them to accept the invitation, then retry this step.",
                StepErrorTypes.NotFound);
        }

        await context.SaveCheckpointAsync(checkpoint with { Checks = checks }, cancellationToken).ConfigureAwait(false);
        return StepException.Transient(
            $"{email} has not accepted the Slack invitation sent at {sent} yet (check {checks} of {_connection.Options.AccountWaitAttempts}); the step will look again.",
            StepErrorTypes.NotFound,
            interval);
    }
}
