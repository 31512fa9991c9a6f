using HyOpps.Integrations.Teams.Internal;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Kiota.Abstractions;

namespace HyOpps.Integrations.Teams;

/// <summary>Adds the invited user to the org's team and, when the org has one, to its private channel.</summary>
/// <remarks>
/// <para>
/// Reads <see cref="AddUserToTeamsChannelInput"/>, whose user id a definition maps from the output of <see cref="InviteToTeamsStep"/>.
/// Checks membership before adding (<c>GET /teams/{id}/members</c>), so a second run changes nothing. Graph puts <c>guest</c>
/// into a guest's roles itself.
/// </para>
/// <para>
/// A newly invited guest is not known to Teams at once: Graph answers 404 or a 400 such as "not a valid reference" for a
/// while. The step then fails as transient with <see cref="StepException.RetryAfter"/> set to
/// <see cref="TeamsOptions.MembershipVisibilityRetryDelay"/>, so the workflow runtime retries it, and fails permanently once
/// <see cref="TeamsOptions.MembershipVisibilityTimeout"/> has passed since the first such answer (kept in the step's checkpoint).
/// Give the step enough attempts for that, for example <see cref="RecommendedRetryPolicy"/>.
/// </para>
/// </remarks>
[HyOppsStep("add_user_to_teams_channel", typeof(TeamsConnection), Required = [nameof(AddUserToTeamsChannelInput.TeamId), nameof(AddUserToTeamsChannelInput.TeamsUserId)])]
public sealed partial class AddUserToTeamsChannelStep : IWorkflowStep<AddUserToTeamsChannelInput>
{
    /// <summary>Gets a retry policy that covers the default <see cref="TeamsOptions.MembershipVisibilityTimeout"/> of 10 minutes: 60 attempts within 15 minutes.</summary>
    public static RetryPolicy RecommendedRetryPolicy { get; } = new()
    {
        MaxAttempts = 60,
        InitialDelay = TimeSpan.FromSeconds(5),
        MaxDelay = TimeSpan.FromSeconds(30),
        MaxTotalDuration = TimeSpan.FromMinutes(15),
    };

    // The helpers read the settings through _connection; options is the same checked instance.
    private async ValueTask<StepResult> RunAsync(AddUserToTeamsChannelInput input, TeamsOptions options, StepContext context, CancellationToken cancellationToken)
    {
        var (teamId, userId) = (input.TeamId, input.TeamsUserId);
        var checkpoint = context.GetCheckpoint<MembershipCheckpoint>() ?? new MembershipCheckpoint();

        var (teamMember, addedToTeam) = await EnsureTeamMemberAsync(context, checkpoint, teamId, userId, cancellationToken).ConfigureAwait(false);
        var output = new AddUserToTeamsChannelOutput
        {
            TeamsUserId = userId,
            TeamsTeamId = teamId,
            TeamsMembershipId = teamMember.Id!,
            TeamsRoles = TeamsStepSupport.Roles(teamMember),
            AddedToTeam = addedToTeam,
        };

        if (!string.IsNullOrWhiteSpace(input.ChannelId) && input.ChannelId.Trim() is var channelId)
        {
            var (channelMember, addedToChannel) = await EnsureChannelMemberAsync(context, checkpoint, teamId, channelId, userId, cancellationToken).ConfigureAwait(false);
            output = output with { TeamsChannelId = channelId, ChannelMembershipId = channelMember.Id, AddedToChannel = addedToChannel };
        }

        return StepResult.Succeeded(output);
    }

    private async Task<(ConversationMember Member, bool Added)> EnsureTeamMemberAsync(
        StepContext context, MembershipCheckpoint checkpoint, string teamId, string userId, CancellationToken cancellationToken)
    {
        var listing = $"listing the members of team '{teamId}'";
        var existing = await ListAsync(
            () => _connection.Graph.FindTeamMemberAsync(teamId, m => m.IsUser(userId), cancellationToken),
            context,
            listing,
            $"Team '{teamId}' was not found in Microsoft Graph: check the org's TeamsTeamId (the team's group id).",
            TeamsMessages.TeamMemberPermission,
            cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            LogAlreadyTeamMember(context.Logger, userId, teamId);
            return (existing, false);
        }

        var operation = $"adding user '{userId}' to team '{teamId}'";
        ConversationMember? added;
        try
        {
            added = await TeamsStepSupport.CallAsync(
                () => AddAsync(() => _connection.Graph.AddTeamMemberAsync(_connection.Options.GraphBaseUrl, teamId, userId, cancellationToken)),
                _connection.Options,
                operation,
                TeamsMessages.TeamMemberPermission,
                context,
                cancellationToken).ConfigureAwait(false);
        }
        catch (UnknownReferenceException ex)
        {
            throw await NotVisibleYetAsync(context, checkpoint, userId, operation, ex.Failure, cancellationToken).ConfigureAwait(false);
        }

        // 409 or an empty body: read the membership back rather than guess.
        added ??= await ListAsync(
            () => _connection.Graph.FindTeamMemberAsync(teamId, m => m.IsUser(userId), cancellationToken),
            context,
            listing,
            $"Team '{teamId}' was not found in Microsoft Graph: check the org's TeamsTeamId (the team's group id).",
            TeamsMessages.TeamMemberPermission,
            cancellationToken).ConfigureAwait(false)
            ?? throw StepException.Transient($"Microsoft Graph accepted {operation} but does not list the membership yet.");

        LogAddedToTeam(context.Logger, userId, teamId, string.Join(",", TeamsStepSupport.Roles(added)));
        return (added, true);
    }

    private async Task<(ConversationMember Member, bool Added)> EnsureChannelMemberAsync(
        StepContext context, MembershipCheckpoint checkpoint, string teamId, string channelId, string userId, CancellationToken cancellationToken)
    {
        var listing = $"listing the members of channel '{channelId}' of team '{teamId}'";
        var notFound = $"Channel '{channelId}' of team '{teamId}' was not found in Microsoft Graph: check the org's TeamsChannelId.";
        var existing = await ListAsync(
            () => _connection.Graph.FindChannelMemberAsync(teamId, channelId, m => m.IsUser(userId), cancellationToken),
            context,
            listing,
            notFound,
            TeamsMessages.ChannelMemberPermission,
            cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            LogAlreadyChannelMember(context.Logger, userId, channelId);
            return (existing, false);
        }

        var operation = $"adding user '{userId}' to channel '{channelId}' of team '{teamId}'";
        ConversationMember? added;
        try
        {
            added = await TeamsStepSupport.CallAsync(
                () => AddAsync(() => _connection.Graph.AddChannelMemberAsync(_connection.Options.GraphBaseUrl, teamId, channelId, userId, cancellationToken)),
                _connection.Options,
                operation,
                TeamsMessages.ChannelMemberPermission,
                context,
                cancellationToken).ConfigureAwait(false);
        }
        catch (UnknownReferenceException ex)
        {
            throw await NotVisibleYetAsync(context, checkpoint, userId, operation, ex.Failure, cancellationToken).ConfigureAwait(false);
        }
        catch (StepException ex) when (ex.ErrorType == StepErrorTypes.Permanent)
        {
            throw StepException.Permanent(
                $"{ex.Message} Only private and shared channels have their own members: check that the org's TeamsChannelId is such a channel, or clear it.",
                StepErrorTypes.Permanent,
                ex);
        }

        added ??= await ListAsync(
            () => _connection.Graph.FindChannelMemberAsync(teamId, channelId, m => m.IsUser(userId), cancellationToken),
            context,
            listing,
            notFound,
            TeamsMessages.ChannelMemberPermission,
            cancellationToken).ConfigureAwait(false)
            ?? throw StepException.Transient($"Microsoft Graph accepted {operation} but does not list the membership yet.");

        LogAddedToChannel(context.Logger, userId, channelId);
        return (added, true);
    }

    private async Task<AadUserConversationMember?> ListAsync(
        Func<Task<AadUserConversationMember?>> list, StepContext context, string operation, string notFoundMessage, string permission, CancellationToken cancellationToken)
    {
        try
        {
            return await TeamsStepSupport.CallAsync(list, _connection.Options, operation, permission, context, cancellationToken).ConfigureAwait(false);
        }
        catch (StepException ex) when (ex.ErrorType == StepErrorTypes.NotFound)
        {
            throw StepException.Permanent($"{notFoundMessage} ({ex.Message})", StepErrorTypes.NotFound, ex);
        }
    }

    private async Task<ConversationMember?> AddAsync(Func<Task<ConversationMember?>> add)
    {
        try
        {
            return await add().ConfigureAwait(false);
        }
        catch (ApiException ex) when (ex.ResponseStatusCode == 409)
        {
            return null;
        }
        catch (ApiException ex) when (ex.ResponseStatusCode is 400 or 404)
        {
            var failure = GraphFailure.From(ex, TimeProvider.System);
            if (failure.IsUnknownReference)
            {
                throw new UnknownReferenceException(failure, ex);
            }

            throw;
        }
    }

    private async Task<StepException> NotVisibleYetAsync(
        StepContext context, MembershipCheckpoint checkpoint, string userId, string operation, GraphFailure failure, CancellationToken cancellationToken)
    {
        var now = context.TimeProvider.GetUtcNow();
        if (checkpoint.VisibilityWaitStartedAt is not { } started)
        {
            started = now;
            await context.SaveCheckpointAsync(checkpoint with { VisibilityWaitStartedAt = now }, cancellationToken).ConfigureAwait(false);
        }

        var deadline = started + _connection.Options.MembershipVisibilityTimeout;
        if (now >= deadline)
        {
            return StepException.Permanent(
                $"Microsoft Teams still does not know user '{userId}' after {now - started:g} of retries while {operation} ({failure.Describe()}). "
                + $"Check that the invitation succeeded and the account is not blocked, then retry the step; {_connection.Options.Key("MembershipVisibilityTimeout")} bounds the wait.",
                StepErrorTypes.NotFound);
        }

        LogNotVisibleYet(context.Logger, userId, failure.StatusCode, failure.Code, deadline);
        return StepException.Transient(
            $"Microsoft Teams does not know user '{userId}' yet while {operation} ({failure.Describe()}); a new guest takes minutes to become visible, "
            + $"so the step is retried until {deadline:u}.",
            StepErrorTypes.Transient,
            _connection.Options.MembershipVisibilityRetryDelay);
    }

    [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "Added user {UserId} to team {TeamId} with roles [{Roles}]")]
    private static partial void LogAddedToTeam(ILogger logger, string userId, string teamId, string roles);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Information, Message = "User {UserId} is already a member of team {TeamId}")]
    private static partial void LogAlreadyTeamMember(ILogger logger, string userId, string teamId);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Information, Message = "Added user {UserId} to channel {ChannelId}")]
    private static partial void LogAddedToChannel(ILogger logger, string userId, string channelId);

    [LoggerMessage(EventId = 5204, Level = LogLevel.Information, Message = "User {UserId} is already a member of channel {ChannelId}")]
    private static partial void LogAlreadyChannelMember(ILogger logger, string userId, string channelId);

    [LoggerMessage(EventId = 5205, Level = LogLevel.Information, Message = "Microsoft Teams does not know user {UserId} yet (HTTP {Status} {Code}); retrying until {Deadline}")]
    private static partial void LogNotVisibleYet(ILogger logger, string userId, int status, string? code, DateTimeOffset deadline);
}
