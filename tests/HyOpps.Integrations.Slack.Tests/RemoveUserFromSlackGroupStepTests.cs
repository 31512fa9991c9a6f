using HyOpps.Workflows;

namespace HyOpps.Integrations.Slack.Tests;

public sealed class RemoveUserFromSlackGroupStepTests
{
    [Fact]
    public async Task ExecuteAsync_Member_RemovesOnlyThemAndKeepsTheRest()
    {
        await using var h = await SlackHarness.StartAsync();
        var a = h.Simulator.AddUser("a@acme.test");
        var x = h.Simulator.AddUser("ada@partner.test");
        var b = h.Simulator.AddUser("b@acme.test");
        var group = h.Simulator.CreateUserGroup("acme-partners", a, x, b);

        var result = await h.RemoveAsync(SlackHarness.Input("ada@partner.test", group));

        var output = SlackHarness.Output<RemoveUserFromSlackGroupOutput>(result);
        Assert.True(output.Removed);
        Assert.Equal(x, output.SlackUserId);
        Assert.Equal(2, output.MemberCount);
        Assert.Equal([a, b], h.Simulator.GetUserGroupMembers(group));
    }

    [Fact]
    public async Task ExecuteAsync_NotAMember_SucceedsWithoutWriting()
    {
        await using var h = await SlackHarness.StartAsync();
        var a = h.Simulator.AddUser("a@acme.test");
        h.Simulator.AddUser("ada@partner.test");
        var group = h.Simulator.CreateUserGroup("acme-partners", a);

        var result = await h.RemoveAsync(SlackHarness.Input("ada@partner.test", group));

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        Assert.False(SlackHarness.Output<RemoveUserFromSlackGroupOutput>(result).Removed);
        Assert.DoesNotContain(h.Simulator.Calls, c => c.Method == "usergroups.users.update");
    }

    [Fact]
    public async Task ExecuteAsync_NoSlackAccount_SucceedsWithoutChange()
    {
        await using var h = await SlackHarness.StartAsync();
        var a = h.Simulator.AddUser("a@acme.test");
        var group = h.Simulator.CreateUserGroup("acme-partners", a);

        var result = await h.RemoveAsync(SlackHarness.Input("gone@partner.test", group));

        var output = SlackHarness.Output<RemoveUserFromSlackGroupOutput>(result);
        Assert.False(output.Removed);
        Assert.Null(output.SlackUserId);
        Assert.Equal([a], h.Simulator.GetUserGroupMembers(group));
    }

    [Fact]
    public async Task ExecuteAsync_OnlyMember_RefusesToEmptyTheGroup()
    {
        await using var h = await SlackHarness.StartAsync();
        var x = h.Simulator.AddUser("ada@partner.test");
        var group = h.Simulator.CreateUserGroup("acme-partners", x);

        var ex = await Assert.ThrowsAsync<StepException>(() => h.RemoveAsync(SlackHarness.Input("ada@partner.test", group)));

        Assert.False(ex.IsRetryable);
        Assert.Contains("only member", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Slack rejects an empty member list", ex.Message, StringComparison.Ordinal);
        Assert.Equal([x], h.Simulator.GetUserGroupMembers(group));
        Assert.DoesNotContain(h.Simulator.Calls, c => c.Method == "usergroups.users.update");
    }

    [Fact]
    public async Task ExecuteAsync_ConcurrentWriterPutsUserBack_RemovesAgain()
    {
        await using var h = await SlackHarness.StartAsync();
        var a = h.Simulator.AddUser("a@acme.test");
        var x = h.Simulator.AddUser("ada@partner.test");
        var group = h.Simulator.CreateUserGroup("acme-partners", a, x);
        var writes = 0;
        h.Simulator.ConcurrentWriter = (_, _) => Interlocked.Increment(ref writes) == 1 ? [a, x] : null;

        var result = await h.RemoveAsync(SlackHarness.Input("ada@partner.test", group));

        Assert.True(SlackHarness.Output<RemoveUserFromSlackGroupOutput>(result).Removed);
        Assert.Equal([a], h.Simulator.GetUserGroupMembers(group));
        Assert.Equal(2, h.Simulator.Calls.Count(c => c.Method == "usergroups.users.update"));
    }

    [Fact]
    public async Task ExecuteAsync_OrgWithoutUserGroup_Skips()
    {
        await using var h = await SlackHarness.StartAsync();

        var result = await h.RemoveAsync(SlackHarness.Input("ada@partner.test", userGroupId: "  "));

        Assert.Equal(StepOutcome.Skipped, result.Outcome);
        Assert.Empty(h.Simulator.Calls);
    }

    [Fact]
    public async Task ExecuteAsync_NotConfigured_FailsPermanently()
    {
        await using var h = await SlackHarness.StartAsync((o, _) => o.BotToken = string.Empty);

        var ex = await Assert.ThrowsAsync<StepException>(() => h.RemoveAsync(SlackHarness.Input("ada@partner.test", "S1")));

        Assert.Equal(StepErrorTypes.NotConfigured, ex.ErrorType);
    }
}
