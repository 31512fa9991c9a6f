using HyOpps.Workflows;
using static HyOpps.Integrations.Atlassian.Tests.AtlassianHarness;

namespace HyOpps.Integrations.Atlassian.Tests;

public sealed class RemoveUserFromAtlassianGroupStepTests
{
    private const string Email = "grace.hopper@partner.example";

    [Fact]
    public async Task ExecuteAsync_Member_RemovesAndVerifies()
    {
        await using var h = await StartAsync();
        var account = h.Simulator.AddAccount(Email);
        var other = h.Simulator.AddAccount("someone.else@partner.example");
        var group = h.Simulator.CreateGroup("acme-partners");
        h.Simulator.AddGroupMember(group.GroupId, other.AccountId);
        h.Simulator.AddGroupMember(group.GroupId, account.AccountId);

        var result = await h.RemoveAsync(h.Context(Input(Email, group.GroupId), RemoveUserFromAtlassianGroupStep.StepId));

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        Assert.True((bool)result.Output!["removed"]!);
        Assert.Equal(account.AccountId, (string?)result.Output["atlassian_account_id"]);
        Assert.Equal([other.AccountId], h.Simulator.GetGroupMembers(group.GroupId));
    }

    [Fact]
    public async Task ExecuteAsync_NotAMember_SucceedsWithoutChanges()
    {
        await using var h = await StartAsync();
        h.Simulator.AddAccount(Email);
        var group = h.Simulator.CreateGroup("acme-partners");

        var result = await h.RemoveAsync(h.Context(Input(Email, group.GroupId), RemoveUserFromAtlassianGroupStep.StepId));

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        Assert.False((bool)result.Output!["removed"]!);
        Assert.Equal(0, h.CountRequests("DELETE", "/rest/api/3/group/user"));
    }

    [Fact]
    public async Task ExecuteAsync_NoAccount_SucceedsWithNothingRemoved()
    {
        await using var h = await StartAsync();
        var group = h.Simulator.CreateGroup("acme-partners");

        var result = await h.RemoveAsync(h.Context(Input(Email, group.GroupId), RemoveUserFromAtlassianGroupStep.StepId));

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        Assert.False((bool)result.Output!["removed"]!);
        Assert.False(result.Output.ContainsKey("atlassian_account_id"));
    }

    [Fact]
    public async Task ExecuteAsync_AddStepOutputPresent_UsesItsAccountIdWithoutSearching()
    {
        await using var h = await StartAsync();
        var account = h.Simulator.AddAccount(Email, emailHidden: true);
        var group = h.Simulator.CreateGroup("acme-partners");
        h.Simulator.AddGroupMember(group.GroupId, account.AccountId);
        var context = h.Context(Input(Email, group.GroupId), RemoveUserFromAtlassianGroupStep.StepId)
            .WithOutput(AddUserToAtlassianGroupStep.StepId, new AddUserToAtlassianGroupOutput { AtlassianAccountId = account.AccountId, AtlassianGroupId = group.GroupId });

        var result = await h.RemoveAsync(context);

        Assert.True((bool)result.Output!["removed"]!);
        Assert.Empty(h.Simulator.GetGroupMembers(group.GroupId));
        Assert.Equal(0, h.CountRequests("GET", "/rest/api/3/user/search"));
    }

    [Fact]
    public async Task ExecuteAsync_UnknownGroup_FailsPermanentlyNamingTheGroupId()
    {
        await using var h = await StartAsync();
        h.Simulator.AddAccount(Email);

        var ex = await Assert.ThrowsAsync<StepException>(() => h.RemoveAsync(h.Context(Input(Email, "missing-group"), RemoveUserFromAtlassianGroupStep.StepId)));

        Assert.False(ex.IsRetryable);
        Assert.Contains("'missing-group'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_OrgWithoutAtlassianGroup_IsSkipped()
    {
        await using var h = await StartAsync();

        var result = await h.RemoveAsync(h.Context(Input(Email, null), RemoveUserFromAtlassianGroupStep.StepId));

        Assert.Equal(StepOutcome.Skipped, result.Outcome);
    }
}
