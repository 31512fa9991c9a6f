using System.Text.Json;
using HyOpps.Integrations.Teams;
using HyOpps.Testing.Graph;

namespace HyOpps.Integrations.Teams.Tests;

public sealed class InviteAndAddTests
{
    [Fact]
    public async Task Onboard_NewGuest_InvitesAndAddsToTeamAndPrivateChannelWithGuestRole()
    {
        await using var host = await TeamsTestHost.StartAsync();
        var teamId = host.Graph.CreateTeam("Acme");
        var channelId = host.Graph.CreateChannel(teamId, "Acme private");
        var input = TeamsTestHost.Input(teamId, channelId);

        var (invite, add) = await host.OnboardAsync(input);

        Assert.Equal(StepOutcome.Succeeded, invite.Outcome);
        var invited = invite.Output.Deserialize<InviteToTeamsOutput>(HyOppsJson.SerializerOptions)!;
        var guest = host.Graph.FindUserByEmail("ada.lovelace@partner.example");
        Assert.NotNull(guest);
        Assert.True(guest.IsGuest);
        Assert.Equal(guest.Id, invited.TeamsUserId);
        Assert.Equal(guest.Id, (string?)invite.Output!["teams_user_id"]);
        Assert.Equal("PendingAcceptance", (string?)invite.Output["invitation_status"]);
        Assert.StartsWith("https://login.microsoftonline.com/redeem?", (string?)invite.Output["invite_redeem_url"], StringComparison.Ordinal);
        Assert.False(invited.ExistingUser);
        var invitation = Assert.Single(host.Graph.GetInvitations());
        Assert.True(invitation.SendInvitationMessage);
        Assert.Equal("https://teams.microsoft.com", invitation.InviteRedirectUrl);

        Assert.Equal(StepOutcome.Succeeded, add.Outcome);
        var added = add.Output.Deserialize<AddUserToTeamsChannelOutput>(HyOppsJson.SerializerOptions)!;
        var teamMember = Assert.Single(host.Graph.GetTeamMembers(teamId));
        Assert.Equal(guest.Id, teamMember.UserId);
        Assert.Equal(["guest"], teamMember.Roles);
        Assert.Equal(teamMember.Id, added.TeamsMembershipId);
        Assert.Equal(["guest"], added.TeamsRoles);
        Assert.True(added.AddedToTeam);
        var channelMember = Assert.Single(host.Graph.GetChannelMembers(teamId, channelId));
        Assert.Equal(guest.Id, channelMember.UserId);
        Assert.Equal(channelMember.Id, (string?)add.Output!["channel_membership_id"]);
        Assert.Equal(teamMember.Id, (string?)add.Output["teams_membership_id"]);
        Assert.True(added.AddedToChannel);

        // A real token request went to the https authority, and Graph accepted only that token.
        Assert.True(host.Graph.TokenRequestCount >= 1);
        Assert.NotEmpty(host.Graph.IssuedAccessTokens);
    }

    [Fact]
    public async Task Onboard_SecondRun_ChangesNothing()
    {
        await using var host = await TeamsTestHost.StartAsync();
        var teamId = host.Graph.CreateTeam();
        var channelId = host.Graph.CreateChannel(teamId);
        var input = TeamsTestHost.Input(teamId, channelId);
        var (firstInvite, firstAdd) = await host.OnboardAsync(input);
        var postsBefore = host.Graph.Requests.Count(r => r.Method == "POST" && r.PathAndQuery.StartsWith("/v1.0", StringComparison.Ordinal));

        var (secondInvite, secondAdd) = await host.OnboardAsync(input);

        Assert.Single(host.Graph.GetInvitations());
        Assert.Single(host.Graph.GetTeamMembers(teamId));
        Assert.Single(host.Graph.GetChannelMembers(teamId, channelId));
        Assert.Equal(postsBefore, host.Graph.Requests.Count(r => r.Method == "POST" && r.PathAndQuery.StartsWith("/v1.0", StringComparison.Ordinal)));
        Assert.Equal((string?)firstInvite.Output!["teams_user_id"], (string?)secondInvite.Output!["teams_user_id"]);
        Assert.True((bool)secondInvite.Output["existing_user"]!);
        Assert.Equal("PendingAcceptance", (string?)secondInvite.Output["invitation_status"]);
        Assert.False((bool)secondAdd.Output!["added_to_team"]!);
        Assert.False((bool)secondAdd.Output["added_to_channel"]!);
        Assert.Equal((string?)firstAdd.Output!["teams_membership_id"], (string?)secondAdd.Output["teams_membership_id"]);
        Assert.Equal((string?)firstAdd.Output["channel_membership_id"], (string?)secondAdd.Output["channel_membership_id"]);
    }

    [Fact]
    public async Task Invite_RetryOfSameRunAfterInvitation_ReusesCheckpointWithoutInvitingAgain()
    {
        await using var host = await TeamsTestHost.StartAsync();
        var input = TeamsTestHost.Input(host.Graph.CreateTeam());
        var context = host.Context(input, InviteToTeamsStep.Id);
        var first = await host.RunAsync<InviteToTeamsStep>(context);
        host.Graph.RevokePermission("User.Invite.All");
        host.Graph.RevokePermission("User.Read.All");

        context.AttemptNumber = 2;
        var second = await host.RunAsync<InviteToTeamsStep>(context);

        Assert.Single(context.SavedCheckpoints);
        Assert.Single(host.Graph.GetInvitations());
        Assert.Equal(first.Output!.ToJsonString(), second.Output!.ToJsonString());
    }

    [Fact]
    public async Task Invite_RedeemedGuest_ReportsCompletedWithoutInvitation()
    {
        await using var host = await TeamsTestHost.StartAsync();
        var guest = host.Graph.AddUser("ada.lovelace@partner.example", "Ada", guest: true);
        host.Graph.RedeemInvitation(guest.Id);

        var result = await host.InviteAsync(TeamsTestHost.Input(host.Graph.CreateTeam()));

        Assert.Equal(guest.Id, (string?)result.Output!["teams_user_id"]);
        Assert.Equal("Completed", (string?)result.Output["invitation_status"]);
        Assert.True((bool)result.Output["existing_user"]!);
        Assert.Empty(host.Graph.GetInvitations());
    }

    [Fact]
    public async Task Invite_WithoutUserReadPermission_InvitesAndGraphReusesTheGuest()
    {
        await using var host = await TeamsTestHost.StartAsync();
        host.Graph.RevokePermission("User.Read.All");
        var input = TeamsTestHost.Input(host.Graph.CreateTeam());

        var first = await host.InviteAsync(input);
        var second = await host.InviteAsync(input);

        Assert.Equal((string?)first.Output!["teams_user_id"], (string?)second.Output!["teams_user_id"]);
        Assert.Equal(2, host.Graph.GetInvitations().Count);
        Assert.Single(host.Graph.GetUsers());
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Level == Microsoft.Extensions.Logging.LogLevel.Warning && r.Message.Contains("User.Read.All", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Invite_SendInvitationMessageOff_AsksGraphNotToEmail()
    {
        await using var host = await TeamsTestHost.StartAsync(o =>
        {
            o.SendInvitationMessage = false;
            o.InviteRedirectUrl = "https://partners.example/welcome";
        });

        await host.InviteAsync(TeamsTestHost.Input(host.Graph.CreateTeam()));

        var invitation = Assert.Single(host.Graph.GetInvitations());
        Assert.False(invitation.SendInvitationMessage);
        Assert.Equal("https://partners.example/welcome", invitation.InviteRedirectUrl);
    }

    [Fact]
    public async Task Add_ExistingMembersOverSeveralPages_FindsTheMembershipWithoutAdding()
    {
        await using var host = await TeamsTestHost.StartAsync();
        host.Graph.MembersPageSize = 2;
        var teamId = host.Graph.CreateTeam();
        for (var i = 0; i < 5; i++)
        {
            host.Graph.AddTeamMember(teamId, host.Graph.AddUser($"member{i}@contoso.example").Id);
        }

        var input = TeamsTestHost.Input(teamId);
        var (_, first) = await host.OnboardAsync(input);
        var (_, second) = await host.OnboardAsync(input);

        Assert.True((bool)first.Output!["added_to_team"]!);
        Assert.False((bool)second.Output!["added_to_team"]!);
        Assert.Equal(6, host.Graph.GetTeamMembers(teamId).Count);
        Assert.Contains(host.Graph.Requests, r => r.PathAndQuery.Contains("skiptoken", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Invite_ExistingTenantMember_FailsPermanentlyAndNothingIsAddedOrSent()
    {
        await using var host = await TeamsTestHost.StartAsync();
        var teamId = host.Graph.CreateTeam();
        var colleague = host.Graph.AddUser("ada.lovelace@partner.example", "Ada Lovelace", guest: false);

        var ex = await Assert.ThrowsAsync<StepException>(() => host.InviteAsync(TeamsTestHost.Input(teamId)));

        Assert.False(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.PermissionDenied, ex.ErrorType);
        Assert.Contains($"The directory user {colleague.Id} is a Member of the tenant, not a guest", ex.Message, StringComparison.Ordinal);
        Assert.Empty(host.Graph.GetInvitations());
        Assert.Empty(host.Graph.GetTeamMembers(teamId));
    }

    [Fact]
    public async Task Add_StandardChannel_SucceedsThroughTeamMembershipWithoutChannelAdd()
    {
        await using var host = await TeamsTestHost.StartAsync();
        var teamId = host.Graph.CreateTeam();
        var channelId = host.Graph.CreateChannel(teamId, "General", GraphChannelMembershipType.Standard);
        var input = TeamsTestHost.Input(teamId, channelId);

        var (_, add) = await host.OnboardAsync(input);

        Assert.False((bool)add.Output!["added_to_channel"]!);
        Assert.Equal((string?)add.Output["teams_membership_id"], (string?)add.Output["channel_membership_id"]);
        Assert.Equal(0, host.CountRequests("POST", "/v1.0/teams/" + teamId + "/channels"));
    }

    [Fact]
    public async Task Add_ChannelRefusesMembers_FailsPermanentlyNamingTheChannelSetting()
    {
        await using var host = await TeamsTestHost.StartAsync();
        var teamId = host.Graph.CreateTeam();
        var channelId = host.Graph.CreateChannel(teamId);
        var input = TeamsTestHost.Input(teamId, channelId);
        var invite = await host.InviteAsync(input);
        host.Graph.Faults.Add(
            Testing.Simulation.SimulatedFault.Status(400, GraphSimulator.ErrorBody("BadRequest", "Members cannot be added to a standard channel."), "application/json"),
            method: "POST",
            pathPrefix: $"/v1.0/teams/{teamId}/channels");

        var ex = await Assert.ThrowsAsync<StepException>(() => host.RunAsync<AddUserToTeamsChannelStep>(host.AddContext(input, invite)));

        Assert.False(ex.IsRetryable);
        Assert.Contains("TeamsChannelId", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Members cannot be added to a standard channel.", ex.Message, StringComparison.Ordinal);
        Assert.Single(host.Graph.GetTeamMembers(teamId));
    }

    [Fact]
    public async Task Add_UnknownTeam_FailsPermanentlyNamingTheTeamSetting()
    {
        await using var host = await TeamsTestHost.StartAsync();
        var input = TeamsTestHost.Input("0b1c6a66-5b7e-4a55-a4c5-3c3ef0bfb1c8");
        var invite = await host.InviteAsync(input);

        var ex = await Assert.ThrowsAsync<StepException>(() => host.RunAsync<AddUserToTeamsChannelStep>(host.AddContext(input, invite)));

        Assert.False(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.NotFound, ex.ErrorType);
        Assert.Contains("TeamsTeamId", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_NoUserIdInTheInput_FailsPermanentlyNamingTheField()
    {
        await using var host = await TeamsTestHost.StartAsync();
        var input = TeamsTestHost.Input(host.Graph.CreateTeam());

        var ex = await Assert.ThrowsAsync<StepException>(() => host.RunAsync<AddUserToTeamsChannelStep>(host.Context(input, AddUserToTeamsChannelStep.Id)));

        Assert.Equal(StepErrorTypes.InvalidInput, ex.ErrorType);
        Assert.Contains("teams_user_id", ex.Message, StringComparison.Ordinal);
    }
}
