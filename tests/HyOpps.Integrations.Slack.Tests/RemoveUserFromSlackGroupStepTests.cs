using HyOpps.Testing.Slack;
using HyOpps.Workflows;

namespace HyOpps.Integrations.Slack.Tests;

public sealed class RemoveUserFromSlackGroupStepTests
{
    [Fact]
    public async Task ExecuteAsync_RecordedMember_RemovesOnlyThemAndKeepsTheRest()
    {
        await using var h = await SlackHarness.StartAsync();
        var a = h.Simulator.AddUser("a@acme.test");
        var x = h.Simulator.AddUser("ada@partner.test");
        var b = h.Simulator.AddUser("b@acme.test");
        var group = h.Simulator.CreateUserGroup("acme-partners", a, x, b);

        var result = await h.RemoveAsync(SlackHarness.Input("ada@partner.test", group, recordedUserId: x));

        var output = SlackHarness.Output<RemoveUserFromSlackGroupOutput>(result);
        Assert.True(output.Removed);
        Assert.Equal(x, output.SlackUserId);
        Assert.Equal(2, output.MemberCount);
        Assert.Equal([a, b], h.Simulator.GetUserGroupMembers(group));
        Assert.DoesNotContain(h.Simulator.Calls, c => c.Method == "users.lookupByEmail");
    }

    [Fact]
    public async Task ExecuteAsync_NotAMember_SucceedsWithoutWriting()
    {
        await using var h = await SlackHarness.StartAsync();
        var a = h.Simulator.AddUser("a@acme.test");
        var x = h.Simulator.AddUser("ada@partner.test");
        var group = h.Simulator.CreateUserGroup("acme-partners", a);

        var result = await h.RemoveAsync(SlackHarness.Input("ada@partner.test", group, recordedUserId: x));

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        Assert.False(SlackHarness.Output<RemoveUserFromSlackGroupOutput>(result).Removed);
        Assert.DoesNotContain(h.Simulator.Calls, c => c.Method == "usergroups.users.update");
    }

    [Fact]
    public async Task ExecuteAsync_NoRecordedSlackUser_FailsNamingTheFieldAndTheAccountWithTheEmailStays()
    {
        await using var h = await SlackHarness.StartAsync();
        var a = h.Simulator.AddUser("a@acme.test");
        var x = h.Simulator.AddUser("ada@partner.test");
        var group = h.Simulator.CreateUserGroup("acme-partners", a, x);

        var ex = await Assert.ThrowsAsync<StepException>(() => h.RemoveAsync(SlackHarness.Input("ada@partner.test", group, recordedUserId: " ")));

        Assert.False(ex.IsRetryable);
        Assert.Contains("slack_user_id", ex.Message, StringComparison.Ordinal);
        Assert.Equal([a, x], h.Simulator.GetUserGroupMembers(group));
        Assert.Empty(h.Simulator.Calls);
    }

    [Fact]
    public async Task ExecuteAsync_RecordedUserSlackNoLongerKnows_IsStillTakenOffTheList()
    {
        await using var h = await SlackHarness.StartAsync();
        var a = h.Simulator.AddUser("a@acme.test");
        var group = h.Simulator.CreateUserGroup("acme-partners", a);
        h.Simulator.SetUserGroupMembers(group, [a, "U0GONE"]);

        var result = await h.RemoveAsync(SlackHarness.Input("ada@partner.test", group, recordedUserId: "U0GONE"));

        Assert.True(SlackHarness.Output<RemoveUserFromSlackGroupOutput>(result).Removed);
        Assert.Equal([a], h.Simulator.GetUserGroupMembers(group));
    }

    [Theory]
    [InlineData(SlackSimulatorUserKind.Admin, "an admin")]
    [InlineData(SlackSimulatorUserKind.Owner, "an owner")]
    [InlineData(SlackSimulatorUserKind.PrimaryOwner, "the primary owner")]
    public async Task ExecuteAsync_RecordedUserIsNowPrivileged_FailsPermanentlyAndRemovesNothing(SlackSimulatorUserKind kind, string role)
    {
        await using var h = await SlackHarness.StartAsync();
        var a = h.Simulator.AddUser("a@acme.test");
        var x = h.Simulator.AddUser("ada@partner.test", kind: kind);
        var group = h.Simulator.CreateUserGroup("acme-partners", a, x);

        var ex = await Assert.ThrowsAsync<StepException>(() => h.RemoveAsync(SlackHarness.Input("ada@partner.test", group, recordedUserId: x)));

        Assert.False(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.PermissionDenied, ex.ErrorType);
        Assert.Contains($"is {role} of the workspace", ex.Message, StringComparison.Ordinal);
        Assert.Equal([a, x], h.Simulator.GetUserGroupMembers(group));
        Assert.DoesNotContain(h.Simulator.Calls, c => c.Method == "usergroups.users.update");
    }

    [Fact]
    public async Task ExecuteAsync_DisabledUserGroup_FailsPermanentlyNamingTheGroupAndTheFix()
    {
        await using var h = await SlackHarness.StartAsync();
        var a = h.Simulator.AddUser("a@acme.test");
        var x = h.Simulator.AddUser("ada@partner.test");
        var group = h.Simulator.CreateUserGroup("acme-partners", a, x);
        h.Simulator.DisableUserGroup(group);

        var ex = await Assert.ThrowsAsync<StepException>(() => h.RemoveAsync(SlackHarness.Input("ada@partner.test", group, recordedUserId: x)));

        Assert.False(ex.IsRetryable);
        Assert.Contains($"Slack user group {group} (@acme-partners) is disabled", ex.Message, StringComparison.Ordinal);
        Assert.Contains("enable it", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(h.Simulator.Calls, c => c.Method == "usergroups.users.update");
    }

    [Fact]
    public async Task ExecuteAsync_OnlyMember_RefusesToEmptyTheGroup()
    {
        await using var h = await SlackHarness.StartAsync();
        var x = h.Simulator.AddUser("ada@partner.test");
        var group = h.Simulator.CreateUserGroup("acme-partners", x);

        var ex = await Assert.ThrowsAsync<StepException>(() => h.RemoveAsync(SlackHarness.Input("ada@partner.test", group, recordedUserId: x)));

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

        var result = await h.RemoveAsync(SlackHarness.Input("ada@partner.test", group, recordedUserId: x));

        Assert.True(SlackHarness.Output<RemoveUserFromSlackGroupOutput>(result).Removed);
        Assert.Equal([a], h.Simulator.GetUserGroupMembers(group));
        Assert.Equal(2, h.Simulator.Calls.Count(c => c.Method == "usergroups.users.update"));
    }

    [Fact]
    public async Task ExecuteAsync_NotConfiguredWithRecordedUser_FailsPermanently()
    {
        await using var h = await SlackHarness.StartAsync((o, _) => o.BotToken = string.Empty);

        var ex = await Assert.ThrowsAsync<StepException>(() => h.RemoveAsync(SlackHarness.Input("ada@partner.test", "S1", recordedUserId: "U1")));

        Assert.Equal(StepErrorTypes.NotConfigured, ex.ErrorType);
    }
}
