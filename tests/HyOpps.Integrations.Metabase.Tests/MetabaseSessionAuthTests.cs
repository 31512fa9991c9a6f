using HyOpps.Testing.Simulation;
using HyOpps.Workflows;
using static HyOpps.Integrations.Metabase.Tests.MetabaseTestHost;

namespace HyOpps.Integrations.Metabase.Tests;

public sealed class MetabaseSessionAuthTests
{
    private static Task<MetabaseTestHost> StartWithSessionAsync(string? password = null)
        => StartAsync((o, sim) =>
        {
            o.ApiKey = null;
            o.Username = sim.AdminEmail;
            o.Password = password ?? sim.AdminPassword;
        });

    [Fact]
    public async Task Steps_ManyCalls_LogInOnceAndReuseTheToken()
    {
        await using var host = await StartWithSessionAsync();
        var groupId = host.Simulator.CreateGroup("Acme");
        var input = Input(groupId: groupId);

        var created = await host.RunAsync<CreateMetabaseAccountStep>(input);
        await host.RunAsync<AddUserToMetabaseGroupStep>(input, c => c.WithOutput(CreateMetabaseAccountStep.Id, created.Output!));
        await host.RunAsync<CreateMetabaseAccountStep>(input);

        Assert.Equal(1, host.Simulator.LoginCount);
        Assert.Equal(1, host.CountRequests("POST", "/api/session"));
        Assert.True(host.Simulator.Requests.Count >= 6);
        Assert.Contains(groupId, host.Simulator.GetGroupIdsOfUser(OutputInt(created, "metabase_user_id")));
    }

    [Fact]
    public async Task Client_ConcurrentCalls_ShareOneLogin()
    {
        await using var host = await StartWithSessionAsync();
        var client = host.CreateClient();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => client.ListGroupsAsync(Ct)));

        Assert.Equal(1, host.Simulator.LoginCount);
    }

    [Fact]
    public async Task Client_SessionExpired_RenewsOnceAndRepeatsTheCall()
    {
        await using var host = await StartWithSessionAsync();
        var client = host.CreateClient();
        await client.ListGroupsAsync(Ct);
        host.Simulator.ExpireSessions();

        var groups = await client.ListGroupsAsync(Ct);

        Assert.NotEmpty(groups);
        Assert.Equal(2, host.Simulator.LoginCount);
        Assert.Equal(3, host.CountRequests("GET", "/api/permissions/group"));
    }

    [Fact]
    public async Task Client_LoginThrottled_IsRetriedToSuccess()
    {
        await using var host = await StartWithSessionAsync();
        host.Simulator.Faults.Add(SimulatedFault.TooManyRequests(TimeSpan.Zero), times: 2, method: "POST", pathPrefix: "/api/session");

        var groups = await host.CreateClient().ListGroupsAsync(Ct);

        Assert.NotEmpty(groups);
        Assert.Equal(3, host.CountRequests("POST", "/api/session"));
    }

    [Fact]
    public async Task Step_WrongPassword_FailsPermanentlyNamingTheSettingsWithoutLeakingThePassword()
    {
        var wrong = "wrong-" + Guid.NewGuid().ToString("N");
        await using var host = await StartWithSessionAsync(wrong);

        var ex = await Assert.ThrowsAsync<StepException>(async () => await host.RunAsync<CreateMetabaseAccountStep>(Input(groupId: 3)));

        Assert.False(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.Unauthorized, ex.ErrorType);
        Assert.Contains("HyOpps:Metabase:Username", ex.Message, StringComparison.Ordinal);
        Assert.Contains("HyOpps:Metabase:Password", ex.Message, StringComparison.Ordinal);
        Assert.Contains("/api/session", ex.Message, StringComparison.Ordinal);
        Assert.Contains("did not match stored password", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, host.AllLogText(), StringComparison.Ordinal);
        Assert.Equal(0, host.CountRequests("GET", "/api/user"));
    }

    [Fact]
    public async Task Step_Success_NeverLogsThePasswordOrToken()
    {
        await using var host = await StartWithSessionAsync();

        var result = await host.RunAsync<CreateMetabaseAccountStep>(Input(groupId: 3));

        var logs = host.AllLogText();
        Assert.DoesNotContain(host.Simulator.AdminPassword, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Simulator.AdminPassword, Json(result), StringComparison.Ordinal);
        Assert.DoesNotContain("X-Metabase-Session", logs, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Step_NonAdministratorLogin_FailsPermanentlyAskingForAnAdministrator()
    {
        await using var host = await StartAsync((o, sim) =>
        {
            sim.AddUser("analyst@example.test", "Ana", "Lyst", password: "analyst-password");
            o.ApiKey = null;
            o.Username = "analyst@example.test";
            o.Password = "analyst-password";
        });

        var ex = await Assert.ThrowsAsync<StepException>(async () => await host.RunAsync<CreateMetabaseAccountStep>(Input(groupId: 3)));

        Assert.Equal(StepErrorTypes.PermissionDenied, ex.ErrorType);
        Assert.Contains("HyOpps:Metabase:Username", ex.Message, StringComparison.Ordinal);
        Assert.Contains("administrator", ex.Message, StringComparison.Ordinal);
    }
}
