using HyOpps.Integrations.Teams;
using Microsoft.Extensions.Time.Testing;

namespace HyOpps.Integrations.Teams.Tests;

public sealed class VisibilityTests
{
    [Theory]
    [InlineData(404)]
    [InlineData(400)]
    public async Task Add_NewGuestNotVisibleYet_FailsTransientlyThenSucceedsOnRetry(int invisibleStatus)
    {
        await using var host = await TeamsTestHost.StartAsync();
        host.Graph.NewGuestInvisibleAttempts = 2;
        host.Graph.InvisibleStatusCode = invisibleStatus;
        var teamId = host.Graph.CreateTeam();
        var input = TeamsTestHost.Input(teamId);
        var invite = await host.InviteAsync(input);
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 9, 0, 0, TimeSpan.Zero));
        var context = host.AddContext(input, invite);
        context.Clock = clock;

        var first = await Assert.ThrowsAsync<StepException>(() => host.RunAsync<AddUserToTeamsChannelStep>(context));
        clock.Advance(first.RetryAfter!.Value);
        context.AttemptNumber = 2;
        var second = await Assert.ThrowsAsync<StepException>(() => host.RunAsync<AddUserToTeamsChannelStep>(context));
        clock.Advance(second.RetryAfter!.Value);
        context.AttemptNumber = 3;
        var third = await host.RunAsync<AddUserToTeamsChannelStep>(context);

        Assert.All([first, second], ex =>
        {
            Assert.True(ex.IsRetryable);
            Assert.Equal(TimeSpan.FromSeconds(5), ex.RetryAfter);
            Assert.Contains("does not know user", ex.Message, StringComparison.Ordinal);
            Assert.Contains("2030-01-01 09:02:00Z", ex.Message, StringComparison.Ordinal);
        });
        Assert.Equal(StepOutcome.Succeeded, third.Outcome);
        Assert.True((bool)third.Output!["added_to_team"]!);
        Assert.Equal(["guest"], Assert.Single(host.Graph.GetTeamMembers(teamId)).Roles);

        // The wait's start is kept once, so the bound counts from the first failure, not from each attempt.
        var checkpoint = Assert.Single(context.SavedCheckpoints);
        Assert.Equal("2030-01-01T09:00:00+00:00", checkpoint.GetProperty("visibility_wait_started_at").GetString());
    }

    [Fact]
    public async Task Add_GuestInvisibleToPrivateChannel_RetriesOnlyTheChannel()
    {
        await using var host = await TeamsTestHost.StartAsync();
        var teamId = host.Graph.CreateTeam();
        var channelId = host.Graph.CreateChannel(teamId);
        var input = TeamsTestHost.Input(teamId, channelId);
        var invite = await host.InviteAsync(input);
        var context = host.AddContext(input, invite);
        context.Clock = new FakeTimeProvider();
        host.Graph.Faults.Add(
            Testing.Simulation.SimulatedFault.Status(404, Testing.Graph.GraphSimulator.ErrorBody("NotFound", "Failed to find the user in the thread roster."), "application/json"),
            method: "POST",
            pathPrefix: $"/v1.0/teams/{teamId}/channels");

        var first = await Assert.ThrowsAsync<StepException>(() => host.RunAsync<AddUserToTeamsChannelStep>(context));
        context.AttemptNumber = 2;
        var second = await host.RunAsync<AddUserToTeamsChannelStep>(context);

        Assert.True(first.IsRetryable);
        Assert.Contains("channel", first.Message, StringComparison.Ordinal);
        Assert.False((bool)second.Output!["added_to_team"]!);
        Assert.True((bool)second.Output["added_to_channel"]!);
        Assert.Single(host.Graph.GetChannelMembers(teamId, channelId));
        Assert.Equal(1, host.CountRequests("POST", $"/v1.0/teams/{teamId}/members"));
    }

    [Fact]
    public async Task Add_GuestNeverVisible_FailsPermanentlyOnceTheBoundHasPassed()
    {
        await using var host = await TeamsTestHost.StartAsync();
        var teamId = host.Graph.CreateTeam();
        var input = TeamsTestHost.Input(teamId);
        var invite = await host.InviteAsync(input);
        host.Graph.MakeInvisible((string)invite.Output!["teams_user_id"]!, 1000);
        var clock = new FakeTimeProvider();
        var context = host.AddContext(input, invite);
        context.Clock = clock;

        var first = await Assert.ThrowsAsync<StepException>(() => host.RunAsync<AddUserToTeamsChannelStep>(context));
        clock.Advance(TimeSpan.FromMinutes(1));
        context.AttemptNumber = 2;
        var second = await Assert.ThrowsAsync<StepException>(() => host.RunAsync<AddUserToTeamsChannelStep>(context));
        clock.Advance(TimeSpan.FromMinutes(1));
        context.AttemptNumber = 3;
        var last = await Assert.ThrowsAsync<StepException>(() => host.RunAsync<AddUserToTeamsChannelStep>(context));

        Assert.True(first.IsRetryable);
        Assert.True(second.IsRetryable);
        Assert.False(last.IsRetryable);
        Assert.Equal(StepErrorTypes.NotFound, last.ErrorType);
        Assert.Contains("HyOpps:Teams:MembershipVisibilityTimeout", last.Message, StringComparison.Ordinal);
        Assert.Empty(host.Graph.GetTeamMembers(teamId));
    }

    [Fact]
    public void RecommendedRetryPolicy_CoversTheDefaultVisibilityTimeout()
    {
        var policy = AddUserToTeamsChannelStep.RecommendedRetryPolicy;
        var defaults = new TeamsOptions();

        policy.Validate(nameof(AddUserToTeamsChannelStep));
        Assert.True(policy.MaxTotalDuration > defaults.MembershipVisibilityTimeout);
        Assert.True(policy.MaxAttempts * defaults.MembershipVisibilityRetryDelay >= defaults.MembershipVisibilityTimeout);
    }
}
