using System.Text;
using HyOpps.Workflows;
using static HyOpps.Integrations.Atlassian.Tests.AtlassianHarness;

namespace HyOpps.Integrations.Atlassian.Tests;

public sealed class AtlassianPrivilegeAndPermissionTests
{
    private const string Email = "grace.hopper@partner.example";

    [Theory]
    [InlineData("site-admins")]
    [InlineData("org-admins")]
    [InlineData("jira-admins-acme")]
    public async Task AddAsync_AccountInAnAdminGroup_FailsPermanentlyAndAddsNothing(string adminGroup)
    {
        await using var h = await StartAsync();
        var account = h.Simulator.AddAccount(Email);
        var admins = h.Simulator.CreateGroup(adminGroup);
        h.Simulator.AddGroupMember(admins.GroupId, account.AccountId);
        var group = h.Simulator.CreateGroup("acme-partners");

        var ex = await Assert.ThrowsAsync<StepException>(() => h.AddAsync(h.Context(Input(Email, group.GroupId))));

        Assert.False(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.PermissionDenied, ex.ErrorType);
        Assert.Contains($"The Atlassian account {account.AccountId} is an administrator (member of the group '{adminGroup}')", ex.Message, StringComparison.Ordinal);
        Assert.Empty(h.Simulator.GetGroupMembers(group.GroupId));
        Assert.Equal(0, h.CountRequests("POST", "/rest/api/3/group/user"));
    }

    [Fact]
    public async Task AddAsync_WithoutBrowseUsersAndGroups_FailsPermanentlyNamingThePermissionInsteadOfNoAccount()
    {
        await using var h = await StartAsync(withAdminKey: true);
        h.Simulator.AddAccount(Email);
        var group = h.Simulator.CreateGroup("acme-partners");
        h.Simulator.CanBrowseUsers = false;

        var ex = await Assert.ThrowsAsync<StepException>(() => h.AddAsync(h.Context(Input(Email, group.GroupId))));

        Assert.False(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.PermissionDenied, ex.ErrorType);
        Assert.Contains("\"Browse users and groups\"", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"cannot read group '{group.GroupId}'", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("No Atlassian account", ex.Message, StringComparison.Ordinal);
        Assert.Empty(h.Simulator.Invites);
        Assert.Equal(0, h.CountRequests("POST", "/"));
    }

    [Fact]
    public async Task AddAsync_NoAccountAndTheGroupIsReadable_StillSaysNoAccount()
    {
        await using var h = await StartAsync();
        var group = h.Simulator.CreateGroup("acme-partners");

        var ex = await Assert.ThrowsAsync<StepException>(() => h.AddAsync(h.Context(Input(Email, group.GroupId))));

        Assert.Contains("No Atlassian account with email", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, h.CountRequests("GET", "/rest/api/3/group/member"));
    }

    [Fact]
    public async Task HttpClients_LogAtTrace_NeverContainTheCredentials()
    {
        await using var h = await StartAsync(withAdminKey: true);
        h.Simulator.InvitedAccountVisibleAfterSearches = 0;
        var account = h.Simulator.AddAccount(Email);
        var group = h.Simulator.CreateGroup("acme-partners");

        await h.AddAsync(h.Context(Input(Email, group.GroupId)));
        var invite = h.Context(Input("new.person@partner.example", group.GroupId));
        await Assert.ThrowsAsync<StepException>(() => h.AddAsync(invite));
        await h.RemoveAsync(h.Context(Input(Email, group.GroupId, account.AccountId), RemoveUserFromAtlassianGroupStep.Id));

        var logs = h.AllLogText();
        Assert.Contains(h.Simulator.Invites, i => i.Emails.Contains("new.person@partner.example"));
        Assert.Contains(h.Simulator.Requests, r => r.PathAndQuery.StartsWith("/admin/", StringComparison.Ordinal));
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{h.Simulator.Email}:{h.Simulator.ApiToken}"));
        foreach (var secret in new[] { h.Simulator.ApiToken, h.Simulator.OrgAdminApiKey, basic })
        {
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("Authorization", logs, StringComparison.OrdinalIgnoreCase);
    }
}
