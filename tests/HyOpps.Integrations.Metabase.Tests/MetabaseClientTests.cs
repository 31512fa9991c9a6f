using System.Net;
using HyOpps.Integrations.Metabase.Internal;
using HyOpps.Testing.Simulation;
using static HyOpps.Integrations.Metabase.Tests.MetabaseTestHost;

namespace HyOpps.Integrations.Metabase.Tests;

public sealed class MetabaseClientTests
{
    [Fact]
    public async Task FindUserByEmail_FuzzyMatches_ReturnsOnlyTheExactEmail()
    {
        await using var host = await StartAsync();
        host.Simulator.AddUser("ann@partner.example", "Ann", "A");
        host.Simulator.AddUser("joann@partner.example", "Jo", "Ann");
        var exact = host.Simulator.AddUser("ann@partner.example.org", "Ann", "B", isActive: false);

        var found = await host.CreateClient().FindUserByEmailAsync("ANN@partner.example.ORG", Ct);
        var missing = await host.CreateClient().FindUserByEmailAsync("nn@partner.example", Ct);

        Assert.Equal(exact, found?.Id);
        Assert.False(found!.IsActive);
        Assert.Null(missing);
    }

    [Fact]
    public async Task FindUserByEmail_MatchOnALaterPage_PagesUntilFound()
    {
        await using var host = await StartAsync();
        for (var i = 0; i < 60; i++)
        {
            host.Simulator.AddUser($"u{i}x@partner.example", "Anna", $"N{i:00}");
        }

        var target = host.Simulator.AddUser("x@partner.example", "Zed", "Last");

        var found = await host.CreateClient().FindUserByEmailAsync("x@partner.example", Ct);

        Assert.Equal(target, found?.Id);
        Assert.Equal(2, host.CountRequests("GET", "/api/user?"));
        Assert.Contains(host.Simulator.Requests, r => r.PathAndQuery.Contains("status=all", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetUser_ReadsGroupsFromUserGroupMemberships()
    {
        await using var host = await StartAsync();
        var group = host.Simulator.CreateGroup("Acme");
        var userId = host.Simulator.AddUser("jane@partner.example");
        host.Simulator.AddUserToGroup(userId, group);

        var user = await host.CreateClient().GetUserAsync(userId, Ct);
        var missing = await host.CreateClient().GetUserAsync(4711, Ct);

        Assert.Equal([1, group], user!.AllGroupIds);
        Assert.Null(missing);
    }

    [Fact]
    public async Task CreateUser_DuplicateEmail_KeepsTheStatusAndJsonMessage()
    {
        await using var host = await StartAsync();
        host.Simulator.AddUser("jane@partner.example", isActive: false);

        var ex = await Assert.ThrowsAsync<MetabaseApiException>(() => host.CreateClient().CreateUserAsync("Jane@Partner.example", "Jane", "Doe", Ct));

        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Equal("email: Email address already in use.", ex.ServiceMessage);
        Assert.Equal("/api/user", ex.Path);
        Assert.False(ex.IsTransient);
    }

    [Fact]
    public async Task ReactivateUser_Active_KeepsTheMessageOfAJsonMap()
    {
        await using var host = await StartAsync();
        var userId = host.Simulator.AddUser("jane@partner.example");

        var ex = await Assert.ThrowsAsync<MetabaseApiException>(() => host.CreateClient().ReactivateUserAsync(userId, Ct));

        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Equal("Not able to reactivate an active user", ex.ServiceMessage);
    }

    [Fact]
    public async Task AddMembership_AllUsers_KeepsThePlainTextMessage()
    {
        await using var host = await StartAsync();
        var userId = host.Simulator.AddUser("jane@partner.example");

        var ex = await Assert.ThrowsAsync<MetabaseApiException>(() => host.CreateClient().AddMembershipAsync(userId, 1, Ct));

        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Equal("You cannot add or remove users to/from the 'All Users' group.", ex.ServiceMessage);
    }

    [Fact]
    public async Task ListMemberships_IsKeyedByUserId()
    {
        await using var host = await StartAsync();
        var group = host.Simulator.CreateGroup("Acme");
        var userId = host.Simulator.AddUser("jane@partner.example");
        host.Simulator.AddUserToGroup(userId, group);

        var map = await host.CreateClient().ListMembershipsAsync(Ct);

        var membership = Assert.Single(map[userId], m => m.GroupId == group);
        Assert.Equal(host.Simulator.GetMembershipId(userId, group), membership.MembershipId);
        Assert.Equal(userId, membership.UserId);
    }

    [Fact]
    public async Task DeleteMembership_Unknown_ReturnsFalse()
    {
        await using var host = await StartAsync();

        Assert.False(await host.CreateClient().DeleteMembershipAsync(98765, Ct));
    }

    [Fact]
    public async Task Send_AttemptHangs_TimesOutAndRetries()
    {
        await using var host = await StartAsync((o, _) => o.Timeout = TimeSpan.FromMilliseconds(300));
        host.Simulator.Faults.Add(SimulatedFault.Hang(), times: 1);

        var groups = await host.CreateClient().ListGroupsAsync(Ct);

        Assert.NotEmpty(groups);
        Assert.Equal(2, host.CountRequests("GET", "/api/permissions/group"));
    }

    [Fact]
    public async Task Send_EveryAttemptHangs_FailsAsATransientTimeoutNamingTheSetting()
    {
        await using var host = await StartAsync((o, _) =>
        {
            o.Timeout = TimeSpan.FromMilliseconds(200);
            o.MaxRetryAttempts = 1;
        });
        host.Simulator.Faults.Add(SimulatedFault.Hang(), times: 2);

        var ex = await Assert.ThrowsAsync<MetabaseApiException>(() => host.CreateClient().ListGroupsAsync(Ct));

        Assert.Null(ex.StatusCode);
        Assert.True(ex.IsTransient);
        Assert.Contains("HyOpps:Metabase:Timeout", ex.Message, StringComparison.Ordinal);
        var stepException = MetabaseStepSupport.ToStepException(ex, host.Options, "listing groups");
        Assert.True(stepException.IsRetryable);
        Assert.Equal(Workflows.StepErrorTypes.Timeout, stepException.ErrorType);
    }

    [Fact]
    public async Task Send_ServerUnreachable_FailsTransientlyNamingBaseUrl()
    {
        await using var host = await StartAsync((o, _) =>
        {
            o.BaseUrl = new Uri("http://127.0.0.1:9/");
            o.MaxRetryAttempts = 0;
        });

        var ex = await Assert.ThrowsAsync<MetabaseApiException>(() => host.CreateClient().ListGroupsAsync(Ct));

        Assert.Null(ex.StatusCode);
        Assert.Contains("HyOpps:Metabase:BaseUrl", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_BaseUrlWithPath_KeepsThePath()
    {
        await using var host = await StartAsync((o, sim) => o.BaseUrl = new Uri(sim.BaseAddress, "metabase"));

        var ex = await Assert.ThrowsAsync<MetabaseApiException>(() => host.CreateClient().ListGroupsAsync(Ct));

        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
        Assert.Contains(host.Simulator.Requests, r => r.PathAndQuery == "/metabase/api/permissions/group");
    }

    [Theory]
    [InlineData("Unauthenticated", "Unauthenticated")]
    [InlineData("  Not found.\n", "Not found.")]
    [InlineData("""{"errors":{"email":"Email address already in use."}}""", "email: Email address already in use.")]
    [InlineData("""{"errors":{"first_name":"bad","last_name":"worse"}}""", "first_name: bad; last_name: worse")]
    [InlineData("""{"message":"Not able to reactivate an active user"}""", "Not able to reactivate an active user")]
    [InlineData("""{"message":"m","errors":{"x":"y"},"specific-errors":{}}""", "m; x: y")]
    [InlineData("\"quoted\"", "quoted")]
    [InlineData("{not json", "{not json")]
    [InlineData("", null)]
    public void ReadServiceMessage_JsonOrPlainText_ReturnsTheMessage(string body, string? expected)
        => Assert.Equal(expected, MetabaseClient.ReadServiceMessage(body));

    [Fact]
    public void ReadServiceMessage_HugeBody_IsTruncated()
    {
        var message = MetabaseClient.ReadServiceMessage(new string('x', 5000));

        Assert.True(message!.Length <= 501);
    }
}
