using System.Net;
using HyOpps.Integrations.Atlassian.Internal;

namespace HyOpps.Integrations.Atlassian;

/// <summary>Removes the person's recorded Atlassian account from the org's group, for offboarding; an account that is not a member (or no longer exists) counts as done.</summary>
/// <remarks>
/// Reads <see cref="RemoveUserFromAtlassianGroupInput"/>: it acts only on the account recorded by the person's onboarding, never
/// on one found by email (a definition skips the step when none was recorded). An
/// account that is now in an admin group fails the step permanently and is left alone. HyOpps never deactivates Atlassian accounts.
/// </remarks>
[HyOppsStep("remove_user_from_atlassian_group", typeof(AtlassianConnection), Required = [nameof(RemoveUserFromAtlassianGroupInput.GroupId), nameof(RemoveUserFromAtlassianGroupInput.AccountId)])]
public sealed partial class RemoveUserFromAtlassianGroupStep : IWorkflowStep<RemoveUserFromAtlassianGroupInput>
{
    private async ValueTask<StepResult> RunAsync(RemoveUserFromAtlassianGroupInput input, AtlassianOptions options, StepContext context, CancellationToken cancellationToken)
    {
        var (groupId, accountId) = (input.GroupId, input.AccountId);
        try
        {
            await AtlassianStepSupport.EnsureNotPrivilegedAsync(_connection.Client, accountId, cancellationToken).ConfigureAwait(false);
            bool isMember;
            try
            {
                isMember = await _connection.Client.IsGroupMemberAsync(groupId, accountId, cancellationToken).ConfigureAwait(false);
            }
            catch (AtlassianApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                throw AtlassianStepErrors.GroupNotFound(groupId, options, ex);
            }
            catch (AtlassianApiException ex) when (ex.StatusCode == HttpStatusCode.Forbidden)
            {
                throw AtlassianStepSupport.MissingBrowsePermission(groupId, options, ex);
            }

            var removed = false;
            if (isMember)
            {
                try
                {
                    removed = await _connection.Client.RemoveUserFromGroupAsync(groupId, accountId, cancellationToken).ConfigureAwait(false);
                }
                catch (AtlassianApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
                {
                    // The group was listed a moment ago: the account is gone, so it is no member either.
                    removed = false;
                }

                if (await _connection.Client.IsGroupMemberAsync(groupId, accountId, cancellationToken).ConfigureAwait(false))
                {
                    throw StepException.Transient(
                        $"Atlassian still lists account {accountId} in group '{groupId}' after removing it; checking again.",
                        StepErrorTypes.Transient,
                        options.InvitePollInterval);
                }
            }

            LogRemoved(context.Logger, accountId, groupId, removed);
            return StepResult.Succeeded(new RemoveUserFromAtlassianGroupOutput { AtlassianAccountId = accountId, AtlassianGroupId = groupId, Removed = removed });
        }
        catch (AtlassianApiException ex)
        {
            throw AtlassianStepErrors.ToStepException(ex, options);
        }
    }

    [LoggerMessage(2, LogLevel.Information, "Atlassian account {AccountId} is not a member of group {GroupId} (removed now: {Removed})")]
    private static partial void LogRemoved(ILogger logger, string accountId, string groupId, bool removed);
}
