using HyOpps.Integrations.Teams.Internal;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Kiota.Abstractions;

namespace HyOpps.Integrations.Teams;

/// <summary>Invites the partner user into the tenant as a guest (<c>POST /invitations</c>), reusing a user that already has the email.</summary>
/// <remarks>
/// Input: <see cref="InviteToTeamsInput"/>. A directory user with the email who is a tenant member (<c>userType</c> not <c>Guest</c>) fails the
/// step permanently: HyOpps manages only guests.
/// Output: <see cref="InviteToTeamsOutput"/> (<c>teams_user_id</c>, <c>invite_redeem_url</c>, <c>invitation_status</c>).
/// Looking the user up first needs <c>User.Read.All</c>; without it the step invites anyway, Graph answers a re-invitation with
/// the same user, and the member check cannot be made (grant the permission). A later attempt of the same run reuses the invitation saved in its checkpoint.
/// </remarks>
[HyOppsStep("invite_to_teams", typeof(TeamsConnection), Required = [nameof(InviteToTeamsInput.Email)])]
public sealed partial class InviteToTeamsStep : IWorkflowStep<InviteToTeamsInput>
{
    private async ValueTask<StepResult> RunAsync(InviteToTeamsInput input, TeamsOptions options, StepContext context, CancellationToken cancellationToken)
    {
        if (context.GetCheckpoint<InviteToTeamsOutput>() is { } saved)
        {
            return StepResult.Succeeded(saved);
        }

        var email = input.Email.ToLowerInvariant();
        var existing = await FindExistingUserAsync(context, email, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            TeamsStepSupport.EnsureGuest(existing);
            LogExistingUser(context.Logger, email, existing.Id!, existing.UserType);
            return StepResult.Succeeded(new InviteToTeamsOutput
            {
                TeamsUserId = existing.Id!,
                Email = email,
                InvitationStatus = string.Equals(existing.ExternalUserState, "PendingAcceptance", StringComparison.OrdinalIgnoreCase)
                    ? "PendingAcceptance"
                    : "Completed",
                ExistingUser = true,
            });
        }

        var invitation = await TeamsStepSupport.CallAsync(
            () => _connection.Graph.InviteAsync(
                new Invitation
                {
                    InvitedUserEmailAddress = email,
                    InvitedUserDisplayName = input.DisplayName.Trim(),
                    InviteRedirectUrl = options.InviteRedirectUrl,
                    SendInvitationMessage = options.SendInvitationMessage,
                    InvitedUserType = "Guest",
                },
                cancellationToken),
            options,
            $"inviting '{email}' as a guest",
            TeamsMessages.InvitePermission,
            context,
            cancellationToken).ConfigureAwait(false);

        var userId = invitation.InvitedUser?.Id;
        if (string.IsNullOrEmpty(userId))
        {
            throw StepException.Transient($"Microsoft Graph accepted the invitation of '{email}' but returned no invitedUser.id; the step will look the user up again.");
        }

        var output = new InviteToTeamsOutput
        {
            TeamsUserId = userId,
            Email = email,
            InviteRedeemUrl = invitation.InviteRedeemUrl,
            InvitationStatus = invitation.Status,
        };

        // Saved before returning so that an attempt after a crash does not invite (and email) the guest again.
        await context.SaveCheckpointAsync(output, cancellationToken).ConfigureAwait(false);
        LogInvited(context.Logger, email, userId, invitation.Status);
        return StepResult.Succeeded(output);
    }

    private async Task<User?> FindExistingUserAsync(StepContext context, string email, CancellationToken cancellationToken)
    {
        try
        {
            return await _connection.Graph.FindUserByEmailAsync(email, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.ResponseStatusCode == 403)
        {
            // Only User.Invite.All granted: inviting still works, and Graph answers with the existing user.
            LogLookupDenied(context.Logger, email, TeamsMessages.ReadUsersPermission);
            return null;
        }
        catch (Exception ex) when (ex is not StepException)
        {
            var mapped = GraphErrorMapper.TryMap(ex, _connection.Options, $"looking up the user '{email}'", TeamsMessages.ReadUsersPermission, context.TimeProvider, cancellationToken);
            if (mapped is null)
            {
                throw;
            }

            throw mapped;
        }
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Invited {Email} as Teams guest {UserId} (invitation status {Status})")]
    private static partial void LogInvited(ILogger logger, string email, string userId, string? status);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Information, Message = "{Email} is already directory user {UserId} ({UserType}); no invitation sent")]
    private static partial void LogExistingUser(ILogger logger, string email, string userId, string? userType);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "Cannot look up {Email} in the directory (Microsoft Graph answered 403): grant the application permission {Permission} so that existing guests are not invited again; inviting instead")]
    private static partial void LogLookupDenied(ILogger logger, string email, string permission);
}
