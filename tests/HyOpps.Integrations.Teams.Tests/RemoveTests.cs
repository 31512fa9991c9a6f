using HyOpps.Integrations.Teams;

namespace HyOpps.Integrations.Teams.Tests;

public sealed class RemoveTests
{
    [Fact]
    public async Task Remove_RecordedGuest_RemovesFromTeamAndPrivateChannelThenSecondRunChangesNothing()
    {
        await using var host = await TeamsTestHost.StartAsync();
        var teamId = host.Graph.CreateTeam();
        var channelId = host.Graph.CreateChannel(teamId);
        var other = host.Graph.AddUser("keep@contoso.example");
        host.Graph.AddTeamMember(teamId, other.Id);
        var input = TeamsTestHost.Input(teamId, channelId);
        var (invite, add) = await host.OnboardAsync(input);
        var offboarding = TeamsTestHost.Recorded(input, invite);

        var first = await host.RunAsync<RemoveUserFromTeamsStep>(host.Context(offboarding, RemoveUserFromTeamsStep.Id));
        var second = await host.RunAsync<RemoveUserFromTeamsStep>(host.Context(offboarding, RemoveUserFromTeamsStep.Id));

        Assert.True((bool)first.Output!["removed"]!);
        Assert.Equal((string?)add.Output!["teams_membership_id"], (string?)first.Output["teams_membership_id"]);
        Assert.Equal((string?)invite.Output!["teams_user_id"], (string?)first.Output["teams_user_id"]);
        Assert.Equal(other.Id, Assert.Single(host.Graph.GetTeamMembers(teamId)).UserId);
        Assert.Empty(host.Graph.GetChannelMembers(teamId, channelId));
        Assert.Equal(StepOutcome.Succeeded, second.Outcome);
        Assert.False((bool)second.Output!["removed"]!);
        Assert.Equal(1, host.CountRequests("DELETE", "/v1.0/teams"));
        Assert.Contains(host.Graph.GetUsers(), u => u.Id == (string?)invite.Output["teams_user_id"]);
    }

    [Fact]
    public async Task Remove_NoRecordedUser_FailsNamingTheFieldAndTheGuestWithTheEmailStaysInTheTeam()
    {
        await using var host = await TeamsTestHost.StartAsync();
        var teamId = host.Graph.CreateTeam();
        var input = TeamsTestHost.Input(teamId);
        await host.OnboardAsync(input);
        var before = host.Graph.Requests.Count;

        var ex = await Assert.ThrowsAsync<StepException>(() => host.RunAsync<RemoveUserFromTeamsStep>(host.Context(TeamsTestHost.Recorded(input, " "), RemoveUserFromTeamsStep.Id)));

        Assert.False(ex.IsRetryable);
        Assert.Contains("teams_user_id", ex.Message, StringComparison.Ordinal);
        Assert.Single(host.Graph.GetTeamMembers(teamId));
        Assert.Equal(before, host.Graph.Requests.Count);
    }

    [Fact]
    public async Task Remove_RecordedUserGone_SucceedsWithNothingRemoved()
    {
        await using var host = await TeamsTestHost.StartAsync();
        var teamId = host.Graph.CreateTeam();

        var result = await host.RunAsync<RemoveUserFromTeamsStep>(host.Context(TeamsTestHost.Recorded(TeamsTestHost.Input(teamId), Guid.NewGuid().ToString()), RemoveUserFromTeamsStep.Id));

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        Assert.False((bool)result.Output!["removed"]!);
        Assert.Equal(0, host.CountRequests("DELETE", "/v1.0"));
    }

    [Fact]
    public async Task Remove_RecordedUserIsATenantMember_FailsPermanentlyAndRemovesNothing()
    {
        await using var host = await TeamsTestHost.StartAsync();
        var teamId = host.Graph.CreateTeam();
        var member = host.Graph.AddUser("ada.lovelace@partner.example", guest: false);
        host.Graph.AddTeamMember(teamId, member.Id);

        var ex = await Assert.ThrowsAsync<StepException>(() =>
            host.RunAsync<RemoveUserFromTeamsStep>(host.Context(TeamsTestHost.Recorded(TeamsTestHost.Input(teamId), member.Id), RemoveUserFromTeamsStep.Id)));

        Assert.False(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.PermissionDenied, ex.ErrorType);
        Assert.Contains("not a guest", ex.Message, StringComparison.Ordinal);
        Assert.Single(host.Graph.GetTeamMembers(teamId));
        Assert.Equal(0, host.CountRequests("DELETE", "/v1.0"));
    }

    [Fact]
    public async Task Remove_WithoutUserReadPermission_RemovesTheRecordedMembership()
    {
        await using var host = await TeamsTestHost.StartAsync();
        var teamId = host.Graph.CreateTeam();
        var input = TeamsTestHost.Input(teamId);
        var (invite, _) = await host.OnboardAsync(input);
        host.Graph.RevokePermission("User.Read.All");

        var result = await host.RunAsync<RemoveUserFromTeamsStep>(host.Context(TeamsTestHost.Recorded(input, invite), RemoveUserFromTeamsStep.Id));

        Assert.True((bool)result.Output!["removed"]!);
        Assert.Empty(host.Graph.GetTeamMembers(teamId));
    }

    [Fact]
    public async Task Remove_PermissionMissing_FailsPermanentlyNamingPermission()
    {
        await using var host = await TeamsTestHost.StartAsync();
        var teamId = host.Graph.CreateTeam();
        var input = TeamsTestHost.Input(teamId);
        var (invite, _) = await host.OnboardAsync(input);
        host.Graph.RevokePermission("TeamMember.ReadWrite.All");

        var ex = await Assert.ThrowsAsync<StepException>(() => host.RunAsync<RemoveUserFromTeamsStep>(host.Context(TeamsTestHost.Recorded(input, invite), RemoveUserFromTeamsStep.Id)));

        Assert.False(ex.IsRetryable);
        Assert.Contains("TeamMember.ReadWrite.All", ex.Message, StringComparison.Ordinal);
        Assert.Single(host.Graph.GetTeamMembers(teamId));
    }

}
