using System.Net;
using HyOpps.Integrations.Atlassian.Internal;

namespace HyOpps.Integrations.Atlassian;

/// <summary>Finds the person's Atlassian account by email (inviting them when configured to), adds it to the org's group and reads the membership back.</summary>
/// <remarks>
/// Reads <see cref="AddUserToAtlassianGroupInput"/>. Idempotent: a member already listed is not added again, and a duplicate
/// add counts as done. After an invite the step saves a checkpoint and fails as transient until
/// the account appears, within <see cref="AtlassianOptions.InviteTimeout"/>; the invite is never sent twice. Before concluding that
/// no account has the email it reads the group's members, because Jira answers the user search with an empty list when the
/// account lacks "Browse users and groups" (a 403 there fails permanently naming that permission). An account in an admin group
/// (<c>site-admins</c>, <c>org-admins</c>, <c>administrators</c>, <c>jira-administrators</c>, <c>jira-admins-*</c>,
/// <c>confluence-admins-*</c>) fails the step permanently and is left alone.
/// </remarks>
[HyOppsStep("add_user_to_atlassian_group", typeof(AtlassianConnection), Required = [nameof(AddUserToAtlassianGroupInput.GroupId), nameof(AddUserToAtlassianGroupInput.Email)])]
public sealed partial class AddUserToAtlassianGroupStep : IWorkflowStep<AddUserToAtlassianGroupInput>
{
    private async ValueTask<StepResult> RunAsync(AddUserToAtlassianGroupInput input, AtlassianOptions options, StepContext context, CancellationToken cancellationToken)
    {
        var groupId = input.GroupId;
        var email = input.Email.ToLowerInvariant();
        var checkpoint = context.GetCheckpoint<AtlassianInviteCheckpoint>();
        try
        {
            var accountId = await ResolveAccountAsync(context, options, email, groupId, checkpoint, cancellationToken).ConfigureAwait(false);
            checkpoint = context.GetCheckpoint<AtlassianInviteCheckpoint>();
            await AtlassianStepSupport.EnsureNotPrivilegedAsync(_connection.Client, accountId, cancellationToken).ConfigureAwait(false);
            var added = false;
            if (!await IsMemberAsync(groupId, accountId, options, cancellationToken).ConfigureAwait(false))
            {
                added = await AddAsync(groupId, accountId, email, options, checkpoint, context.TimeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                if (!await IsMemberAsync(groupId, accountId, options, cancellationToken).ConfigureAwait(false))
                {
                    throw StepException.Transient(
                        $"Atlassian accepted adding account {accountId} ({email}) to group '{groupId}' but does not list it among the members yet; checking again.",
                        StepErrorTypes.Transient,
                        options.InvitePollInterval);
                }
            }

            LogMember(context.Logger, accountId, groupId, added);
            return StepResult.Succeeded(new AddUserToAtlassianGroupOutput
            {
                AtlassianAccountId = accountId,
                AtlassianGroupId = groupId,
                Added = added,
                Invited = checkpoint is not null,
                Verified = true,
            });
        }
        catch (AtlassianApiException ex)
        {
            throw AtlassianStepErrors.ToStepException(ex, options);
        }
    }

    private async Task<string> ResolveAccountAsync(
        StepContext context, AtlassianOptions options, string email, string groupId, AtlassianInviteCheckpoint? checkpoint, CancellationToken cancellationToken)
    {
        // A site invite answered with the account itself: no need to find it again.
        if (checkpoint is { Method: AtlassianInviteCheckpoint.Site, InvitedAccountId: { Length: > 0 } siteAccountId })
        {
            return siteAccountId;
        }

        var lookup = await _connection.Client.FindUserByEmailAsync(email, cancellationToken).ConfigureAwait(false);
        if (lookup.User is { } user)
        {
            return user.AccountId;
        }

        if (checkpoint is not null)
        {
            if (checkpoint.InvitedAccountId is { Length: > 0 } invitedId
                && lookup.HiddenEmailCandidates.Any(c => string.Equals(c.AccountId, invitedId, StringComparison.Ordinal)))
            {
                return invitedId;
            }

            var waited = context.TimeProvider.GetUtcNow() - checkpoint.InvitedAt;
            if (waited > options.InviteTimeout)
            {
                throw StepException.Permanent(
                    $"{email} was invited to Atlassian ({checkpoint.Method}) at {checkpoint.InvitedAt:u} but after {waited.TotalMinutes:0} min no account "
                    + $"with that email is visible on {options.SiteUrl}; check the invitation in Atlassian Administration (and that the person's email is "
                    + $"visible), or add them to group '{groupId}' by hand. The invite is not sent again.",
                    StepErrorTypes.NotFound);
            }

            LogWaiting(context.Logger, email);
            throw StepException.Transient(
                $"Waiting for the Atlassian account of {email}: invited at {checkpoint.InvitedAt:u}, not visible on {options.SiteUrl} yet "
                + "(organization changes take up to about 30 s).",
                StepErrorTypes.Transient,
                options.InvitePollInterval);
        }

        // Without "Browse users and groups" the search answers an empty list, not 403: rule that out before concluding anything.
        await AtlassianStepSupport.EnsureGroupReadableAsync(_connection.Client, groupId, options, cancellationToken).ConfigureAwait(false);
        if (lookup.HiddenEmailCandidates.Count > 0)
        {
            throw AtlassianStepErrors.HiddenEmail(email, groupId, lookup.HiddenEmailCandidates.Count);
        }

        if (options.HasOrgAdminApi)
        {
            var invitedId = await _connection.Client.InviteToOrganizationAsync(email, [groupId], cancellationToken).ConfigureAwait(false);
            var invitedAt = context.TimeProvider.GetUtcNow();
            await context.SaveCheckpointAsync(new AtlassianInviteCheckpoint(invitedAt, AtlassianInviteCheckpoint.Organization, invitedId), cancellationToken).ConfigureAwait(false);
            LogInvited(context.Logger, email, options.OrgId);
            throw StepException.Transient(
                $"Invited {email} to the Atlassian organization {options.OrgId} (with group '{groupId}'); waiting for the account to appear on "
                + $"{options.SiteUrl} (organization changes take up to about 30 s).",
                StepErrorTypes.Transient,
                options.InvitePollInterval);
        }

        if (options.Products.Count > 0)
        {
            var created = await _connection.Client.CreateSiteUserAsync(email, options.Products, cancellationToken).ConfigureAwait(false);
            await context.SaveCheckpointAsync(
                new AtlassianInviteCheckpoint(context.TimeProvider.GetUtcNow(), AtlassianInviteCheckpoint.Site, created.AccountId), cancellationToken).ConfigureAwait(false);
            LogInvited(context.Logger, email, options.SiteUrl?.Host);
            return created.AccountId;
        }

        throw StepException.Permanent(
            $"No Atlassian account with email {email} on {options.SiteUrl}: invite the person to the Atlassian site (Administration > Users > "
            + $"Invite users), or configure {options.Key(nameof(AtlassianOptions.OrgAdminApiKey))} and {options.Key(nameof(AtlassianOptions.OrgId))} "
            + "so that HyOpps invites them, then retry the step.",
            StepErrorTypes.NotFound);
    }

    private async Task<bool> IsMemberAsync(string groupId, string accountId, AtlassianOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await _connection.Client.IsGroupMemberAsync(groupId, accountId, cancellationToken).ConfigureAwait(false);
        }
        catch (AtlassianApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            throw AtlassianStepErrors.GroupNotFound(groupId, options, ex);
        }
        catch (AtlassianApiException ex) when (ex.StatusCode == HttpStatusCode.Forbidden)
        {
            throw AtlassianStepSupport.MissingBrowsePermission(groupId, options, ex);
        }
    }

    private async Task<bool> AddAsync(
        string groupId, string accountId, string email, AtlassianOptions options, AtlassianInviteCheckpoint? checkpoint, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            return await _connection.Client.AddUserToGroupAsync(groupId, accountId, cancellationToken).ConfigureAwait(false);
        }
        catch (AtlassianApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            // The group was listed a moment ago, so the user is what is unknown: on orgs with centralized user
            // management a new account is not in the site's directory until the invite has been processed.
            if (checkpoint is not null && now - checkpoint.InvitedAt <= options.InviteTimeout)
            {
                throw StepException.Transient(
                    $"Atlassian does not know account {accountId} ({email}) for group '{groupId}' yet (404) after the invite; checking again. {ex.Message}",
                    StepErrorTypes.Transient,
                    options.InvitePollInterval,
                    ex);
            }

            throw StepException.Permanent(
                $"Atlassian could not add account {accountId} ({email}) to group '{groupId}' (404): the account is not in the site's user directory; "
                + "invite the person to the site (on orgs with centralized user management, to the organization) and retry the step. " + ex.Message,
                StepErrorTypes.NotFound,
                ex);
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Atlassian account {AccountId} is a member of group {GroupId} (added now: {Added})")]
    private static partial void LogMember(ILogger logger, string accountId, string groupId, bool added);

    [LoggerMessage(2, LogLevel.Information, "Invited {Email} to Atlassian ({Target}); waiting for the account to appear")]
    private static partial void LogInvited(ILogger logger, string email, string? target);

    [LoggerMessage(3, LogLevel.Information, "The invited Atlassian account of {Email} is not visible yet")]
    private static partial void LogWaiting(ILogger logger, string email);
}
