using HyOpps.Integrations.Teams.Internal;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Kiota.Abstractions;

namespace HyOpps.Integrations.Teams;

/// <summary>Offboarding: removes the partner user from the org's team (and so from its private channels); a user who is not a member is success.</summary>
/// <remarks>
/// Input: <see cref="RemoveUserFromTeamsInput"/>. Acts only on the directory user recorded by the person's onboarding, never
/// on one found by email (a definition skips the step when none was recorded), and only removes the team membership: the
/// guest account stays. A recorded user who is now a tenant member (not a guest) fails the step permanently and is left alone.
/// Output: <see cref="RemoveUserFromTeamsOutput"/>.
/// </remarks>
[HyOppsStep("remove_user_from_teams", typeof(TeamsConnection), Required = [nameof(RemoveUserFromTeamsInput.TeamId), nameof(RemoveUserFromTeamsInput.TeamsUserId)])]
public sealed partial class RemoveUserFromTeamsStep : IWorkflowStep<RemoveUserFromTeamsInput>
{
    private async ValueTask<StepResult> RunAsync(RemoveUserFromTeamsInput input, TeamsOptions options, StepContext context, CancellationToken cancellationToken)
    {
        var (teamId, userId) = (input.TeamId, input.TeamsUserId);
        var email = input.Email.Trim().ToLowerInvariant();
        await EnsureStillGuestAsync(context, userId, cancellationToken).ConfigureAwait(false);

        var listing = $"listing the members of team '{teamId}'";
        AadUserConversationMember? member;
        try
        {
            member = await TeamsStepSupport.CallAsync(
                () => _connection.Graph.FindTeamMemberAsync(
                    teamId,
                    m => m.IsUser(userId),
                    cancellationToken),
                options,
                listing,
                TeamsMessages.TeamMemberPermission,
                context,
                cancellationToken).ConfigureAwait(false);
        }
        catch (StepException ex) when (ex.ErrorType == StepErrorTypes.NotFound)
        {
            throw StepException.Permanent(
                $"Team '{teamId}' was not found in Microsoft Graph: check the org's TeamsTeamId (the team's group id). ({ex.Message})", StepErrorTypes.NotFound, ex);
        }

        if (member?.Id is not { } membershipId)
        {
            LogNotMember(context.Logger, email, teamId);
            return StepResult.Succeeded(new RemoveUserFromTeamsOutput { TeamsTeamId = teamId, TeamsUserId = userId, Removed = false });
        }

        var removed = await TeamsStepSupport.CallAsync(
            async () =>
            {
                try
                {
                    await _connection.Graph.RemoveTeamMemberAsync(teamId, membershipId, cancellationToken).ConfigureAwait(false);
                    return true;
                }
                catch (ApiException ex) when (ex.ResponseStatusCode == 404)
                {
                    return false;
                }
            },
            options,
            $"removing user '{member.UserId ?? email}' from team '{teamId}'",
            TeamsMessages.TeamMemberPermission,
            context,
            cancellationToken).ConfigureAwait(false);

        LogRemoved(context.Logger, email, teamId, removed);
        return StepResult.Succeeded(new RemoveUserFromTeamsOutput
        {
            TeamsTeamId = teamId,
            TeamsUserId = member.UserId ?? userId,
            TeamsMembershipId = membershipId,
            Removed = removed,
        });
    }

    private async Task EnsureStillGuestAsync(StepContext context, string userId, CancellationToken cancellationToken)
    {
        User? user;
        try
        {
            user = await _connection.Graph.GetUserAsync(userId, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.ResponseStatusCode == 403)
        {
            // Without User.Read.All the type cannot be read; onboarding recorded this user, and only the team membership is touched.
            LogTypeUnreadable(context.Logger, userId, TeamsMessages.ReadUsersPermission);
            return;
        }
        catch (Exception ex) when (ex is not StepException)
        {
            var mapped = GraphErrorMapper.TryMap(ex, _connection.Options, $"reading the user '{userId}'", TeamsMessages.ReadUsersPermission, context.TimeProvider, cancellationToken);
            if (mapped is null)
            {
                throw;
            }

            throw mapped;
        }

        if (user is not null)
        {
            TeamsStepSupport.EnsureGuest(user);
        }
    }

    [LoggerMessage(EventId = 5301, Level = LogLevel.Information, Message = "Removed {Email} from team {TeamId} (membership existed: {Removed})")]
    private static partial void LogRemoved(ILogger logger, string email, string teamId, bool removed);

    [LoggerMessage(EventId = 5302, Level = LogLevel.Information, Message = "{Email} is not a member of team {TeamId}; nothing to remove")]
    private static partial void LogNotMember(ILogger logger, string email, string teamId);

    [LoggerMessage(EventId = 5303, Level = LogLevel.Warning, Message = "Cannot read the type of directory user {UserId} (Microsoft Graph answered 403): grant the application permission {Permission} so that offboarding can confirm it is a guest; removing the recorded membership anyway")]
    private static partial void LogTypeUnreadable(ILogger logger, string userId, string permission);
}
