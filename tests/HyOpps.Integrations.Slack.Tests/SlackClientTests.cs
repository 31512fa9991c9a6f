using System.Net;
using HyOpps.Integrations.Shared;
using HyOpps.Integrations.Slack.Internal;
using HyOpps.Testing.Simulation;
using Microsoft.Extensions.Time.Testing;

namespace HyOpps.Integrations.Slack.Tests;

public sealed class SlackClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task LookupUserByEmailAsync_ReadMethod_SendsGetWithQueryAndBearerHeader()
    {
        await using var h = await SlackHarness.StartAsync();
        var id = h.Simulator.AddUser("ada@partner.test", "Ada Lovelace");

        var user = await h.Client.LookupUserByEmailAsync("ada@partner.test", Ct);

        Assert.NotNull(user);
        Assert.Equal(id, user.Id);
        Assert.Equal("Ada Lovelace", user.RealName);
        Assert.Equal("ada@partner.test", user.Email);
        Assert.Equal(h.Simulator.TeamId, user.TeamId);
        var call = Assert.Single(h.Simulator.Calls);
        Assert.Equal("GET", call.HttpMethod);
        Assert.True(call.UsedAuthorizationHeader);
        Assert.Equal("ada@partner.test", call.Arguments["email"]);
        Assert.DoesNotContain(h.Simulator.Requests, r => r.PathAndQuery.Contains("token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LookupUserByEmailAsync_UnknownEmail_ReturnsNull()
    {
        await using var h = await SlackHarness.StartAsync();

        Assert.Null(await h.Client.LookupUserByEmailAsync("nobody@partner.test", Ct));
    }

    [Fact]
    public async Task UpdateUserGroupMembersAsync_WriteMethod_PostsFormWithBearerHeaderAndNoBodyToken()
    {
        await using var h = await SlackHarness.StartAsync();
        var a = h.Simulator.AddUser("a@acme.test");
        var b = h.Simulator.AddUser("b@acme.test");
        var group = h.Simulator.CreateUserGroup("acme", a);

        var members = await h.Client.UpdateUserGroupMembersAsync(group, [a, b, a], Ct);

        Assert.Equal([a, b], members);
        var call = Assert.Single(h.Simulator.Calls);
        Assert.Equal("POST", call.HttpMethod);
        Assert.True(call.UsedAuthorizationHeader);
        Assert.Equal($"{a},{b}", call.Arguments["users"]);
        Assert.False(call.Arguments.ContainsKey("token"));
    }

    [Fact]
    public async Task UpdateUserGroupMembersAsync_EmptyList_ThrowsWithoutCallingSlack()
    {
        await using var h = await SlackHarness.StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => h.Client.UpdateUserGroupMembersAsync("S1", [" "], Ct));
        Assert.Empty(h.Simulator.Calls);
    }

    [Fact]
    public async Task ListUserGroupsAsync_WithUsers_ReturnsGroupsAndMembers()
    {
        await using var h = await SlackHarness.StartAsync();
        var a = h.Simulator.AddUser("a@acme.test");
        var group = h.Simulator.CreateUserGroup("acme", a);
        var disabled = h.Simulator.CreateUserGroup("old", a);
        h.Simulator.DisableUserGroup(disabled);

        var groups = await h.Client.ListUserGroupsAsync(includeUsers: true, cancellationToken: Ct);
        var all = await h.Client.ListUserGroupsAsync(includeDisabled: true, cancellationToken: Ct);

        var only = Assert.Single(groups);
        Assert.Equal(group, only.Id);
        Assert.Equal("acme", only.Handle);
        Assert.Equal([a], only.Users);
        Assert.Equal(1, only.UserCount);
        Assert.Equal(2, all.Count);
        Assert.True(all.Single(g => g.Id == disabled).IsDisabled);
    }

    [Fact]
    public async Task ListUserGroupMembersAsync_MissingScope_ThrowsWithNeededAndProvided()
    {
        await using var h = await SlackHarness.StartAsync((o, sim) =>
        {
            sim.AddToken("xoxb-users-only", ["users:read"]);
            o.BotToken = "xoxb-users-only";
        });

        var ex = await Assert.ThrowsAsync<SlackApiException>(() => h.Client.ListUserGroupMembersAsync("S1", Ct));

        Assert.Equal("missing_scope", ex.Error);
        Assert.Equal("usergroups:read", ex.Needed);
        Assert.Equal("users:read", ex.Provided);
        Assert.False(ex.IsTransient);
        Assert.Contains("needed: usergroups:read", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_PlainTextServerError_KeepsStatusAndBody()
    {
        await using var h = await SlackHarness.StartAsync((o, _) => o.MaxRetryAttempts = 0);
        h.Simulator.Faults.Add(SimulatedFault.Status(502, "<html>Bad gateway</html>", "text/html"));

        var ex = await Assert.ThrowsAsync<SlackApiException>(() => h.Client.ListUserGroupMembersAsync("S1", Ct));

        Assert.Equal("http_502", ex.Error);
        Assert.Equal(HttpStatusCode.BadGateway, ex.StatusCode);
        Assert.True(ex.IsTransient);
        Assert.Contains("Bad gateway", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_NotFoundWithoutEnvelope_IsPermanent()
    {
        await using var h = await SlackHarness.StartAsync((o, _) => o.MaxRetryAttempts = 0);
        h.Simulator.Faults.Add(SimulatedFault.Status(404, "Not Found"));

        var ex = await Assert.ThrowsAsync<SlackApiException>(() => h.Client.ListUserGroupMembersAsync("S1", Ct));

        Assert.Equal("http_404", ex.Error);
        Assert.False(ex.IsTransient);
    }

    [Fact]
    public async Task SendAsync_ServerHangs_ThrowsTransientTimeout()
    {
        await using var h = await SlackHarness.StartAsync((o, _) =>
        {
            o.MaxRetryAttempts = 0;
            o.Timeout = TimeSpan.FromMilliseconds(200);
        });
        h.Simulator.Faults.Add(SimulatedFault.Hang());

        var ex = await Assert.ThrowsAsync<SlackApiException>(() => h.Client.ListUserGroupMembersAsync("S1", Ct));

        Assert.Equal("request_timeout", ex.Error);
        Assert.True(ex.IsTransient);
    }

    [Fact]
    public async Task InviteUserToWorkspaceAsync_ServerError_IsNotRetriedSoNoSecondInvitation()
    {
        await using var h = await SlackHarness.StartAsync(withAdminToken: true);
        var channel = h.Simulator.CreateChannel("general");
        h.Simulator.Faults.Add(SimulatedFault.Status(500, "oops"), pathPrefix: "/api/admin.users.invite");

        var ex = await Assert.ThrowsAsync<SlackApiException>(() => h.Client.InviteUserToWorkspaceAsync("new@partner.test", [channel], cancellationToken: Ct));

        Assert.Equal("http_500", ex.Error);
        Assert.Single(h.Simulator.Requests);
    }

    [Fact]
    public async Task InviteUserToWorkspaceAsync_RateLimited_IsRetried()
    {
        await using var h = await SlackHarness.StartAsync(withAdminToken: true);
        var channel = h.Simulator.CreateChannel("general");
        h.Simulator.InjectRateLimit("admin.users.invite", TimeSpan.Zero);

        Assert.True(await h.Client.InviteUserToWorkspaceAsync("new@partner.test", [channel], "New Person", Ct));

        Assert.Single(h.Simulator.Invitations);
        Assert.Equal(2, h.Simulator.Requests.Count);
    }

    [Fact]
    public async Task InviteUserToWorkspaceAsync_ExistingMember_ReturnsFalse()
    {
        await using var h = await SlackHarness.StartAsync(withAdminToken: true);
        var channel = h.Simulator.CreateChannel("general");
        h.Simulator.AddUser("ada@partner.test");

        Assert.False(await h.Client.InviteUserToWorkspaceAsync("ada@partner.test", [channel], cancellationToken: Ct));
    }

    [Fact]
    public async Task InviteUserToWorkspaceAsync_WithoutAdminToken_Throws()
    {
        await using var h = await SlackHarness.StartAsync();

        Assert.False(h.Client.CanInviteUsers);
        await Assert.ThrowsAsync<InvalidOperationException>(() => h.Client.InviteUserToWorkspaceAsync("a@b.test", ["C1"], cancellationToken: Ct));
    }

    [Fact]
    public async Task InviteToConversationAsync_AlreadyInChannel_ReturnsFalse()
    {
        await using var h = await SlackHarness.StartAsync();
        var x = h.Simulator.AddUser("ada@partner.test");
        var channel = h.Simulator.CreateChannel("acme");

        Assert.True(await h.Client.InviteToConversationAsync(channel, x, Ct));
        Assert.False(await h.Client.InviteToConversationAsync(channel, x, Ct));
    }

    [Fact]
    public async Task SendAsync_EnvelopeWithWarnings_LogsThemAndSucceeds()
    {
        await using var h = await SlackHarness.StartAsync();
        h.Simulator.Faults.Add(SimulatedFault.Status(
            200,
            """{"ok":true,"users":["U1"],"warning":"method_deprecated","response_metadata":{"warnings":["method_deprecated"],"messages":["[WARN] use the new method"]}}""",
            "application/json"));

        Assert.Equal(["U1"], await h.Client.ListUserGroupMembersAsync("S1", Ct));

        var warning = Assert.Single(h.Logs.GetSnapshot(), r => r.Level == Microsoft.Extensions.Logging.LogLevel.Warning);
        Assert.Equal("Slack usergroups.users.list warned: method_deprecated, [WARN] use the new method", warning.Message);
    }

    [Fact]
    public void RetryAfter_DeltaAndDate_AreRead()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero));
        using var delta = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        delta.Headers.RetryAfter = new(TimeSpan.FromSeconds(7));
        using var date = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        date.Headers.RetryAfter = new(time.GetUtcNow().AddSeconds(42));
        using var none = new HttpResponseMessage(HttpStatusCode.TooManyRequests);

        Assert.Equal(TimeSpan.FromSeconds(7), IntegrationHttp.GetRetryAfter(delta, time));
        Assert.Equal(TimeSpan.FromSeconds(42), IntegrationHttp.GetRetryAfter(date, time));
        Assert.Null(IntegrationHttp.GetRetryAfter(none, time));
    }

    [Theory]
    [InlineData("ratelimited", null, true)]
    [InlineData("internal_error", null, true)]
    [InlineData("fatal_error", null, true)]
    [InlineData("service_unavailable", null, true)]
    [InlineData("request_timeout", null, true)]
    [InlineData("http_503", HttpStatusCode.ServiceUnavailable, true)]
    [InlineData("invalid_auth", null, false)]
    [InlineData("not_authed", null, false)]
    [InlineData("missing_scope", null, false)]
    [InlineData("no_such_subteam", null, false)]
    [InlineData("users_not_found", null, false)]
    [InlineData("permission_denied", null, false)]
    [InlineData("http_404", HttpStatusCode.NotFound, false)]
    public void IsTransient_ErrorCode_Classified(string error, HttpStatusCode? status, bool transient)
    {
        Assert.Equal(transient, new SlackApiException("m", error, "x", status).IsTransient);
    }
}
