using HyOpps.Workflows;
using static HyOpps.Integrations.Atlassian.Tests.AtlassianHarness;

namespace HyOpps.Integrations.Atlassian.Tests;

public sealed class RemoveUserFromAtlassianGroupStepTests
{
    private const string Email = "grace.hopper@partner.example";

    [Fact]
    public async Task ExecuteAsync_RecordedMember_RemovesAndVerifiesWithoutSearching()
    {
        await using var h = await StartAsync();
        var account = h.Simulator.AddAccount(Email);
        var other = h.Simulator.AddAccount("someone.else@partner.example");
        var group = h.Simulator.CreateGroup("acme-partners");
        h.Simulator.AddGroupMember(group.GroupId, other.AccountId);
        h.Simulator.AddGroupMember(group.GroupId, account.AccountId);

        var result = await h.RemoveAsync(h.Context(Input(Email, group.GroupId, account.AccountId), RemoveUserFromAtlassianGroupStep.Id));

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        Assert.True((bool)result.Output!["removed"]!);
        Assert.Equal(account.AccountId, (string?)result.Output["atlassian_account_id"]);
        Assert.Equal([other.AccountId], h.Simulator.GetGroupMembers(group.GroupId));
        Assert.Equal(0, h.CountRequests("GET", "/rest/api/3/user/search"));
    }

    [Fact]
    public async Task ExecuteAsync_NotAMember_SucceedsWithoutChanges()
    {
        await using var h = await StartAsync();
        var account = h.Simulator.AddAccount(Email);
        var group = h.Simulator.CreateGroup("acme-partners");

        var result = await h.RemoveAsync(h.Context(Input(Email, group.GroupId, account.AccountId), RemoveUserFromAtlassianGroupStep.Id));

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        Assert.False((bool)result.Output!["removed"]!);
        Assert.Equal(0, h.CountRequests("DELETE", "/rest/api/3/group/user"));
    }

    [Fact]
    public async Task ExecuteAsync_NoRecordedAccount_FailsNamingTheFieldAndTheAccountWithTheEmailStaysInTheGroup()
    {
        await using var h = await StartAsync();
        var account = h.Simulator.AddAccount(Email);
        var group = h.Simulator.CreateGroup("acme-partners");
        h.Simulator.AddGroupMember(group.GroupId, account.AccountId);

        var ex = await Assert.ThrowsAsync<StepException>(() => h.RemoveAsync(h.Context(Input(Email, group.GroupId, " "), RemoveUserFromAtlassianGroupStep.Id)));

        Assert.False(ex.IsRetryable);
        Assert.Contains("account_id", ex.Message, StringComparison.Ordinal);
        Assert.Equal([account.AccountId], h.Simulator.GetGroupMembers(group.GroupId));
        Assert.Empty(h.Simulator.Requests);
    }

    [Fact]
    public async Task ExecuteAsync_RecordedAccountIsNowASiteAdmin_FailsPermanentlyAndRemovesNothing()
    {
        await using var h = await StartAsync();
        var account = h.Simulator.AddAccount(Email);
        var group = h.Simulator.CreateGroup("acme-partners");
        h.Simulator.AddGroupMember(group.GroupId, account.AccountId);
        h.Simulator.GrantSiteAdmin(account.AccountId);

        var ex = await Assert.ThrowsAsync<StepException>(() => h.RemoveAsync(h.Context(Input(Email, group.GroupId, account.AccountId), RemoveUserFromAtlassianGroupStep.Id)));

        Assert.False(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.PermissionDenied, ex.ErrorType);
        Assert.Contains("member of the group 'site-admins'", ex.Message, StringComparison.Ordinal);
        Assert.Equal([account.AccountId], h.Simulator.GetGroupMembers(group.GroupId));
        Assert.Equal(0, h.CountRequests("DELETE", "/rest/api/3/group/user"));
    }

    [Fact]
    public async Task ExecuteAsync_RecordedAccountGone_SucceedsWithNothingRemoved()
    {
        await using var h = await StartAsync();
        var group = h.Simulator.CreateGroup("acme-partners");

        var result = await h.RemoveAsync(h.Context(Input(Email, group.GroupId, "712020:gone"), RemoveUserFromAtlassianGroupStep.Id));

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        Assert.False((bool)result.Output!["removed"]!);
    }

    [Fact]
    public async Task ExecuteAsync_UnknownGroup_FailsPermanentlyNamingTheGroupId()
    {
        await using var h = await StartAsync();
        var account = h.Simulator.AddAccount(Email);

        var ex = await Assert.ThrowsAsync<StepException>(() => h.RemoveAsync(h.Context(Input(Email, "missing-group", account.AccountId), RemoveUserFromAtlassianGroupStep.Id)));

        Assert.False(ex.IsRetryable);
        Assert.Contains("'missing-group'", ex.Message, StringComparison.Ordinal);
    }

}
