using HyOpps.Integrations.Atlassian.Internal;
using System.Net;
using HyOpps.Testing.Simulation;
using static HyOpps.Integrations.Atlassian.Tests.AtlassianHarness;

namespace HyOpps.Integrations.Atlassian.Tests;

public sealed class AtlassianClientTests
{
    [Fact]
    public async Task AddUserToGroupAsync_AlreadyAMember_ReturnsFalse()
    {
        await using var h = await StartAsync();
        var account = h.Simulator.AddAccount("a@partner.example");
        var group = h.Simulator.CreateGroup("acme-partners");
        h.Simulator.AddGroupMember(group.GroupId, account.AccountId);

        var added = await h.Client.AddUserToGroupAsync(group.GroupId, account.AccountId, Ct);

        Assert.False(added);
        Assert.Equal([account.AccountId], h.Simulator.GetGroupMembers(group.GroupId));
    }

    [Fact]
    public async Task AddUserToGroupAsync_UnknownGroup_ThrowsWith404AndMessages()
    {
        await using var h = await StartAsync();
        var account = h.Simulator.AddAccount("a@partner.example");

        var ex = await Assert.ThrowsAsync<AtlassianApiException>(() => h.Client.AddUserToGroupAsync("nope", account.AccountId, Ct));

        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
        Assert.NotEmpty(ex.ErrorMessages);
        Assert.Contains(ex.ErrorMessages[0], ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemoveUserFromGroupAsync_NotAMember_ReturnsFalse()
    {
        await using var h = await StartAsync();
        var account = h.Simulator.AddAccount("a@partner.example");
        var group = h.Simulator.CreateGroup("acme-partners");

        Assert.False(await h.Client.RemoveUserFromGroupAsync(group.GroupId, account.AccountId, Ct));
    }

    [Fact]
    public async Task IsGroupMemberAsync_LargeGroup_PagesThroughAllMembers()
    {
        await using var h = await StartAsync();
        var group = h.Simulator.CreateGroup("big");
        string last = string.Empty;
        for (var i = 0; i < 120; i++)
        {
            last = h.Simulator.AddAccount($"user{i}@partner.example").AccountId;
            h.Simulator.AddGroupMember(group.GroupId, last);
        }

        Assert.True(await h.Client.IsGroupMemberAsync(group.GroupId, last, Ct));
        Assert.Equal(3, h.CountRequests("GET", "/rest/api/3/group/member"));
        Assert.False(await h.Client.IsGroupMemberAsync(group.GroupId, "712020:not-there", Ct));
    }

    [Fact]
    public async Task FindUserByEmailAsync_OnlyAppAndCustomerAccountsMatch_FindsNothing()
    {
        await using var h = await StartAsync();
        h.Simulator.AddAccount("svc@partner.example", accountType: "app");
        h.Simulator.AddAccount("svc@partner.example.org", accountType: "customer");
        h.Simulator.AddAccount("svc@partner.example.net", active: false);

        var lookup = await h.Client.FindUserByEmailAsync("svc@partner.example", Ct);

        Assert.Null(lookup.User);
        Assert.Empty(lookup.HiddenEmailCandidates);
    }

    [Fact]
    public async Task FindUserByEmailAsync_WithoutBrowsePermission_FindsNothing()
    {
        await using var h = await StartAsync();
        h.Simulator.AddAccount("a@partner.example");
        h.Simulator.CanBrowseUsers = false;

        var lookup = await h.Client.FindUserByEmailAsync("a@partner.example", Ct);

        Assert.Null(lookup.User);
    }

    [Fact]
    public async Task GetGroupAsync_ById_ReturnsTheGroupOrNull()
    {
        await using var h = await StartAsync();
        var group = h.Simulator.CreateGroup("acme-partners");

        Assert.Equal(new AtlassianGroup(group.GroupId, "acme-partners"), await h.Client.GetGroupAsync(group.GroupId, Ct));
        Assert.Null(await h.Client.GetGroupAsync(Guid.NewGuid().ToString(), Ct));
    }

    [Fact]
    public async Task SearchUsersAsync_RateLimited_WaitsForRetryAfterBeforeResending()
    {
        await using var h = await StartAsync(o => o.RetryBaseDelay = TimeSpan.Zero);
        h.Simulator.InjectRateLimit("/", TimeSpan.FromSeconds(1), times: 1, method: "GET");
        var watch = System.Diagnostics.Stopwatch.StartNew();

        await h.Client.SearchUsersAsync("a", cancellationToken: Ct);

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(900), $"Resent after {watch.Elapsed}, before Retry-After.");
        Assert.Equal(2, h.CountRequests("GET", "/rest/api/3/user/search"));
    }

    [Fact]
    public async Task InviteToOrganizationAsync_ServerError_IsNotResent()
    {
        await using var h = await StartAsync(withAdminKey: true);
        h.Simulator.Faults.Add(SimulatedFault.Status(502, "bad gateway"), times: 5, "POST", "/admin/");

        var ex = await Assert.ThrowsAsync<AtlassianApiException>(() => h.Client.InviteToOrganizationAsync("n@partner.example", [], Ct));

        Assert.Equal(HttpStatusCode.BadGateway, ex.StatusCode);
        Assert.True(ex.IsAdminApi);
        Assert.Equal(1, h.CountRequests("POST", "/admin/"));
    }

    [Fact]
    public async Task InviteToOrganizationAsync_RateLimited_IsResent()
    {
        await using var h = await StartAsync(withAdminKey: true);
        h.Simulator.InjectRateLimit("/admin/", TimeSpan.Zero, times: 1, method: "POST");

        var id = await h.Client.InviteToOrganizationAsync("n@partner.example", [], Ct);

        Assert.NotNull(id);
        Assert.Single(h.Simulator.Invites);
        Assert.Equal(2, h.CountRequests("POST", "/admin/"));
    }

    [Fact]
    public async Task SendAsync_AttemptHangs_TimesOutAsTransientFailure()
    {
        await using var h = await StartAsync(o =>
        {
            o.Timeout = TimeSpan.FromMilliseconds(200);
            o.MaxRetryAttempts = 1;
        });
        h.Simulator.Faults.Add(SimulatedFault.Hang(), times: 2, "GET", "/rest/api/3/user/search");

        var ex = await Assert.ThrowsAsync<AtlassianApiException>(() => h.Client.FindUserByEmailAsync("a@partner.example", Ct));

        Assert.Null(ex.StatusCode);
        Assert.Contains("timed out", ex.Message, StringComparison.Ordinal);
        Assert.Contains("HyOpps:Atlassian:Timeout", ex.Message, StringComparison.Ordinal);
    }
}
