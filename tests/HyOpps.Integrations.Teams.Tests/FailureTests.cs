using System.Diagnostics;
using HyOpps.Integrations.Teams;
using HyOpps.Testing.Graph;
using HyOpps.Testing.Simulation;

namespace HyOpps.Integrations.Teams.Tests;

public sealed class FailureTests
{
    [Fact]
    public async Task Invite_InvitePermissionMissing_FailsPermanentlyNamingPermissionAndConsent()
    {
        await using var host = await TeamsTestHost.StartAsync();
        host.Graph.RevokePermission("User.Invite.All");

        var ex = await Assert.ThrowsAsync<StepException>(() => host.InviteAsync(TeamsTestHost.Input(host.Graph.CreateTeam())));

        Assert.False(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.PermissionDenied, ex.ErrorType);
        Assert.Contains("User.Invite.All", ex.Message, StringComparison.Ordinal);
        Assert.Contains("administrator must grant admin consent", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Authorization_RequestDenied", ex.Message, StringComparison.Ordinal);
        Assert.Contains(host.Graph.ClientId, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("TeamMember.ReadWrite.All", null)]
    [InlineData("ChannelMember.ReadWrite.All", "channel")]
    public async Task Add_MembershipPermissionMissing_FailsPermanentlyNamingPermission(string permission, string? channel)
    {
        await using var host = await TeamsTestHost.StartAsync();
        var teamId = host.Graph.CreateTeam();
        var input = TeamsTestHost.Input(teamId, channel is null ? null : host.Graph.CreateChannel(teamId));
        var invite = await host.InviteAsync(input);
        host.Graph.RevokePermission(permission);

        var ex = await Assert.ThrowsAsync<StepException>(() => host.RunAsync<AddUserToTeamsChannelStep>(host.AddContext(input, invite)));

        Assert.False(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.PermissionDenied, ex.ErrorType);
        Assert.Contains($"application permission {permission}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("admin consent", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_AuthorizationRequestDeniedEnvelope_FailsPermanentlyNamingPermission()
    {
        await using var host = await TeamsTestHost.StartAsync();
        var teamId = host.Graph.CreateTeam();
        var input = TeamsTestHost.Input(teamId);
        var invite = await host.InviteAsync(input);
        host.Graph.Faults.Add(
            SimulatedFault.Status(403, GraphSimulator.ErrorBody("Authorization_RequestDenied", "Insufficient privileges to complete the operation."), "application/json"),
            method: "POST",
            pathPrefix: "/v1.0/teams");

        var ex = await Assert.ThrowsAsync<StepException>(() => host.RunAsync<AddUserToTeamsChannelStep>(host.AddContext(input, invite)));

        Assert.False(ex.IsRetryable);
        Assert.Contains("TeamMember.ReadWrite.All", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Insufficient privileges", ex.Message, StringComparison.Ordinal);
        var api = Assert.IsType<TeamsApiException>(ex.InnerException);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, api.StatusCode);
        Assert.Equal("Authorization_RequestDenied", api.ErrorCode);
        Assert.Equal("Insufficient privileges to complete the operation.", api.ServiceMessage);
        Assert.False(api.IsTransient);
        Assert.DoesNotContain(host.Graph.ClientSecret, api.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invite_Throttled_WaitsRetryAfterThenSucceeds()
    {
        await using var host = await TeamsTestHost.StartAsync();
        var input = TeamsTestHost.Input(host.Graph.CreateTeam());
        host.Graph.InjectRateLimit("/v1.0/invitations", TimeSpan.FromSeconds(1), times: 1, method: "POST");
        var watch = Stopwatch.StartNew();

        var result = await host.InviteAsync(input);

        watch.Stop();
        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        Assert.Equal(2, host.CountRequests("POST", "/v1.0/invitations"));
        Assert.Single(host.Graph.GetInvitations());

        // Retry-After: 1 was honoured (a lower bound only, so no timing race).
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(950), $"retried after {watch.Elapsed}");
    }

    [Fact]
    public async Task Add_ThrottledLongerThanMaxRetryAfter_FailsTransientWithTheServiceDelay()
    {
        await using var host = await TeamsTestHost.StartAsync(o => o.MaxRetryAfter = TimeSpan.FromSeconds(10));
        var teamId = host.Graph.CreateTeam();
        var input = TeamsTestHost.Input(teamId);
        var invite = await host.InviteAsync(input);
        host.Graph.InjectRateLimit("/v1.0/teams", TimeSpan.FromSeconds(120), times: 1, method: "POST");

        var ex = await Assert.ThrowsAsync<StepException>(() => host.RunAsync<AddUserToTeamsChannelStep>(host.AddContext(input, invite)));

        Assert.True(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.RateLimited, ex.ErrorType);
        Assert.Equal(TimeSpan.FromSeconds(120), ex.RetryAfter);
        Assert.Equal(1, host.CountRequests("POST", "/v1.0/teams"));
        var api = Assert.IsType<TeamsApiException>(ex.InnerException);
        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, api.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(120), api.RetryAfter);
        Assert.True(api.IsTransient);
    }

    [Fact]
    public async Task Invite_ServiceUnavailableOnce_IsRetriedInPlace()
    {
        await using var host = await TeamsTestHost.StartAsync();
        host.Graph.Faults.Add(
            SimulatedFault.Status(503, GraphSimulator.ErrorBody("ServiceUnavailable", "Service unavailable."), "application/json", TimeSpan.FromSeconds(1)),
            method: "GET",
            pathPrefix: "/v1.0/users");

        var result = await host.InviteAsync(TeamsTestHost.Input(host.Graph.CreateTeam()));

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        Assert.Equal(2, host.CountRequests("GET", "/v1.0/users"));
    }

    [Fact]
    public async Task Invite_ServiceKeepsFailing_FailsTransient()
    {
        await using var host = await TeamsTestHost.StartAsync(o => o.MaxRetryAttempts = 0);
        host.Graph.Faults.Add(SimulatedFault.Status(500, "upstream exploded"), times: 5, method: "GET", pathPrefix: "/v1.0/users");

        var ex = await Assert.ThrowsAsync<StepException>(() => host.InviteAsync(TeamsTestHost.Input(host.Graph.CreateTeam())));

        Assert.True(ex.IsRetryable);
        Assert.Contains("500", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invite_GraphHangs_FailsTransientAfterTheTimeout()
    {
        await using var host = await TeamsTestHost.StartAsync(o =>
        {
            o.Timeout = TimeSpan.FromSeconds(3);
            o.MaxRetryAttempts = 0;
        });
        host.Graph.Faults.Add(SimulatedFault.Hang(), method: "GET", pathPrefix: "/v1.0/users");

        var ex = await Assert.ThrowsAsync<StepException>(() => host.InviteAsync(TeamsTestHost.Input(host.Graph.CreateTeam())));

        Assert.True(ex.IsRetryable);
        Assert.True(ex.ErrorType == StepErrorTypes.Timeout, ex.ToString());
        Assert.Contains("HyOpps:Teams:Timeout", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invite_WrongClientSecret_FailsPermanentlyWithoutTheSecret()
    {
        const string wrongSecret = "wrong~secret~value~0123456789";
        await using var host = await TeamsTestHost.StartAsync(o => o.ClientSecret = wrongSecret);

        var ex = await Assert.ThrowsAsync<StepException>(() => host.InviteAsync(TeamsTestHost.Input(host.Graph.CreateTeam())));

        Assert.False(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.Unauthorized, ex.ErrorType);
        Assert.Contains("invalid_client", ex.Message, StringComparison.Ordinal);
        Assert.Contains("AADSTS7000215", ex.Message, StringComparison.Ordinal);
        Assert.Contains("HyOpps:Teams:ClientSecret", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongSecret, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(host.Graph.ClientSecret, ex.ToString(), StringComparison.Ordinal);
        Assert.Empty(host.Graph.IssuedAccessTokens);
        Assert.Equal(0, host.CountRequests("GET", "/v1.0"));
    }

    [Fact]
    public async Task Invite_UnknownTenant_FailsPermanentlyNamingTheTenantSetting()
    {
        await using var host = await TeamsTestHost.StartAsync(o => o.TenantId = "contoso.onmicrosoft.com");

        var ex = await Assert.ThrowsAsync<StepException>(() => host.InviteAsync(TeamsTestHost.Input(host.Graph.CreateTeam())));

        Assert.False(ex.IsRetryable);
        Assert.Contains("HyOpps:Teams:TenantId", ex.Message, StringComparison.Ordinal);
        Assert.Contains("AADSTS90002", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invite_TokenRevokedByGraph_FailsPermanentlyAsUnauthorized()
    {
        await using var host = await TeamsTestHost.StartAsync();
        var input = TeamsTestHost.Input(host.Graph.CreateTeam());
        await host.InviteAsync(input);
        host.Graph.RevokeTokens();

        var ex = await Assert.ThrowsAsync<StepException>(() => host.InviteAsync(TeamsTestHost.Input(input.TeamId, email: "grace@partner.example")));

        Assert.Equal(StepErrorTypes.Unauthorized, ex.ErrorType);
        Assert.Contains("InvalidAuthenticationToken", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invite_AuthorityUnreachable_FailsTransient()
    {
        await using var host = await TeamsTestHost.StartAsync(o => o.AuthorityHost = "https://127.0.0.1:1/");

        var ex = await Assert.ThrowsAsync<StepException>(() => host.InviteAsync(TeamsTestHost.Input(host.Graph.CreateTeam())));

        Assert.True(ex.IsRetryable);
        Assert.Contains("https://127.0.0.1:1/", ex.Message, StringComparison.Ordinal);
    }
}
