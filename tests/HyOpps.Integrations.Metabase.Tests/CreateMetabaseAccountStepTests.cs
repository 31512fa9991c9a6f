using HyOpps.Testing.Metabase;
using HyOpps.Testing.Simulation;
using HyOpps.Testing.Steps;
using HyOpps.Workflows;
using Microsoft.Extensions.DependencyInjection;
using static HyOpps.Integrations.Metabase.Tests.MetabaseTestHost;

namespace HyOpps.Integrations.Metabase.Tests;

public sealed class CreateMetabaseAccountStepTests
{
    [Fact]
    public async Task Execute_NewUser_CreatesItInAllUsersAndOutputsItsId()
    {
        await using var host = await StartAsync();
        var groupId = host.Simulator.CreateGroup("Acme");

        var result = await host.RunAsync<CreateMetabaseAccountStep>(Input(groupId: groupId));

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        var user = host.Simulator.FindUserByEmail("jane.doe@partner.example");
        Assert.NotNull(user);
        Assert.Equal("jane.doe@partner.example", user.Email);
        Assert.Equal(("Jane", "Doe"), (user.FirstName, user.LastName));
        Assert.True(user.IsActive);
        Assert.Equal(user.Id, OutputInt(result, "metabase_user_id"));
        Assert.Equal("created", OutputString(result, "action"));
        Assert.Equal([MetabaseSimulator.AllUsersGroupId], host.Simulator.GetGroupIdsOfUser(user.Id));
    }

    [Fact]
    public async Task Execute_Twice_LeavesOneUserAndFindsItTheSecondTime()
    {
        await using var host = await StartAsync();
        var input = Input(groupId: host.Simulator.CreateGroup("Acme"));

        var first = await host.RunAsync<CreateMetabaseAccountStep>(input);
        var usersAfterFirst = host.Simulator.GetUsers();
        var second = await host.RunAsync<CreateMetabaseAccountStep>(input);

        Assert.Equal(usersAfterFirst, host.Simulator.GetUsers());
        Assert.Equal(OutputInt(first, "metabase_user_id"), OutputInt(second, "metabase_user_id"));
        Assert.Equal("found", OutputString(second, "action"));
        Assert.Equal(1, host.CountRequests("POST", "/api/user"));
    }

    [Fact]
    public async Task Execute_RerunAfterCreating_StillReportsCreated()
    {
        await using var host = await StartAsync();
        var context = host.Context(Input(groupId: host.Simulator.CreateGroup("Acme")), CreateMetabaseAccountStep.Id);

        var first = await host.RunAsync<CreateMetabaseAccountStep>(context);
        var rerun = await host.RunAsync<CreateMetabaseAccountStep>(context);

        Assert.Equal("created", OutputString(first, "action"));
        Assert.Equal("created", OutputString(rerun, "action"));
        Assert.Equal(OutputInt(first, "metabase_user_id"), OutputInt(rerun, "metabase_user_id"));
        Assert.Equal(1, host.CountRequests("POST", "/api/user"));
    }

    [Fact]
    public async Task Execute_ExistingSuperuser_FailsPermanentlyAndChangesNothing()
    {
        await using var host = await StartAsync();
        var existing = host.Simulator.AddUser("jane.doe@partner.example", "Jane", "Doe", isSuperuser: true);
        var before = host.Simulator.GetUsers();

        var ex = await Assert.ThrowsAsync<StepException>(async () =>
            await host.RunAsync<CreateMetabaseAccountStep>(Input(groupId: host.Simulator.CreateGroup("Acme"))));

        Assert.False(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.PermissionDenied, ex.ErrorType);
        Assert.Contains($"Metabase user {existing} is an administrator", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, host.Simulator.GetUsers());
        Assert.Equal(0, host.CountRequests("POST", "/api/"));
        Assert.Equal(0, host.CountRequests("PUT", "/api/"));
    }

    [Fact]
    public async Task Execute_DeactivatedAdministratorsMember_IsNotReactivated()
    {
        await using var host = await StartAsync();
        var existing = host.Simulator.AddUser("jane.doe@partner.example", "Jane", "Doe");
        host.Simulator.AddUserToGroup(existing, MetabaseSimulator.AdministratorsGroupId);
        host.Simulator.DeactivateUser(existing);

        var ex = await Assert.ThrowsAsync<StepException>(async () =>
            await host.RunAsync<CreateMetabaseAccountStep>(Input(groupId: host.Simulator.CreateGroup("Acme"))));

        Assert.Equal(StepErrorTypes.PermissionDenied, ex.ErrorType);
        Assert.False(host.Simulator.GetUser(existing)!.IsActive);
        Assert.Equal(0, host.CountRequests("PUT", "/api/"));
    }

    [Fact]
    public async Task Execute_ExistingUserWithOtherCase_FindsItWithoutCreating()
    {
        await using var host = await StartAsync();
        var existing = host.Simulator.AddUser("jane.doe@partner.example", "Jane", "Doe");

        var result = await host.RunAsync<CreateMetabaseAccountStep>(Input("JANE.DOE@PARTNER.EXAMPLE", groupId: host.Simulator.CreateGroup("Acme")));

        Assert.Equal(existing, OutputInt(result, "metabase_user_id"));
        Assert.Equal("found", OutputString(result, "action"));
        Assert.Equal(0, host.CountRequests("POST", "/api/user"));
    }

    [Fact]
    public async Task Execute_DeactivatedUser_ReactivatesIt()
    {
        await using var host = await StartAsync();
        var existing = host.Simulator.AddUser("jane.doe@partner.example", "Jane", "Doe", isActive: false);

        var result = await host.RunAsync<CreateMetabaseAccountStep>(Input(groupId: host.Simulator.CreateGroup("Acme")));

        Assert.Equal(existing, OutputInt(result, "metabase_user_id"));
        Assert.Equal("reactivated", OutputString(result, "action"));
        Assert.True(host.Simulator.GetUser(existing)!.IsActive);
        Assert.Single(host.Simulator.GetUsers(), u => u.Email == "jane.doe@partner.example");
    }

    [Fact]
    public async Task Execute_OnlyFuzzyMatchesExist_CreatesTheExactUser()
    {
        await using var host = await StartAsync();
        var other = host.Simulator.AddUser("mary.jane.doe@partner.example", "Jane", "Doe");
        host.Simulator.AddUser("x.jane.doe@partner.example.org", "Jane", "Doe", isActive: false);

        var result = await host.RunAsync<CreateMetabaseAccountStep>(Input(groupId: host.Simulator.CreateGroup("Acme")));

        Assert.Equal("created", OutputString(result, "action"));
        Assert.NotEqual(other, OutputInt(result, "metabase_user_id"));
        Assert.Equal(OutputInt(result, "metabase_user_id"), host.Simulator.FindUserByEmail("jane.doe@partner.example")!.Id);
    }

    [Fact]
    public async Task Execute_NotConfigured_FailsPermanentlyNamingTheSettings()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddHyOpps().AddMetabase();
        await using var provider = services.BuildServiceProvider();
        var step = provider.GetRequiredService<CreateMetabaseAccountStep>();

        var ex = await Assert.ThrowsAsync<StepException>(async () =>
            await ((IWorkflowStep)step).ExecuteAsync(new TestStepContext(Input(groupId: 3).For(CreateMetabaseAccountStep.Id, null!), provider), Ct));

        Assert.False(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.NotConfigured, ex.ErrorType);
        Assert.Contains("HyOpps:Metabase:BaseUrl", ex.Message, StringComparison.Ordinal);
        Assert.Contains("HyOpps:Metabase:ApiKey", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_BadApiKey_FailsPermanentlyNamingTheSettingWithoutLeakingTheKey()
    {
        var badKey = "mb_wrong_" + Guid.NewGuid().ToString("N");
        await using var host = await StartAsync((o, _) => o.ApiKey = badKey);

        var ex = await Assert.ThrowsAsync<StepException>(async () =>
            await host.RunAsync<CreateMetabaseAccountStep>(Input(groupId: 3)));

        Assert.False(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.Unauthorized, ex.ErrorType);
        Assert.Contains("HyOpps:Metabase:ApiKey", ex.Message, StringComparison.Ordinal);
        Assert.Contains("401", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Unauthenticated", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, host.CountRequests("GET", "/api/user"));
        Assert.DoesNotContain(badKey, ex.ToString(), StringComparison.Ordinal);
        var logs = host.AllLogText();
        Assert.NotEmpty(logs);
        Assert.DoesNotContain(badKey, logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_Success_NeverPutsTheKeyInLogsOrOutput()
    {
        await using var host = await StartAsync();

        var result = await host.RunAsync<CreateMetabaseAccountStep>(Input(groupId: 3));

        Assert.Contains("\"metabase_user_id\"", Json(result), StringComparison.Ordinal);
        Assert.DoesNotContain(host.Simulator.ApiKey, Json(result), StringComparison.Ordinal);
        Assert.DoesNotContain(host.Simulator.ApiKey, host.AllLogText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_KeyWithoutAdministrators_FailsPermanentlyAskingForTheAdministratorsGroup()
    {
        await using var host = await StartAsync((o, sim) =>
        {
            sim.AddApiKey("mb_reader_key_1234", isAdmin: false);
            o.ApiKey = "mb_reader_key_1234";
        });

        var ex = await Assert.ThrowsAsync<StepException>(async () => await host.RunAsync<CreateMetabaseAccountStep>(Input(groupId: 3)));

        Assert.False(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.PermissionDenied, ex.ErrorType);
        Assert.Contains("You don't have permissions to do that.", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("..", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Administrators", ex.Message, StringComparison.Ordinal);
        Assert.Contains("HyOpps:Metabase:ApiKey", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_ServerErrorBurst_IsRetriedToSuccess()
    {
        await using var host = await StartAsync();
        host.Simulator.Faults.Add(SimulatedFault.Status(500, "boom"), times: 2, method: "GET", pathPrefix: "/api/user");
        host.Simulator.Faults.Add(SimulatedFault.Status(503), times: 2, method: "POST", pathPrefix: "/api/user");

        var result = await host.RunAsync<CreateMetabaseAccountStep>(Input(groupId: 3));

        Assert.Equal("created", OutputString(result, "action"));
        Assert.Equal(0, host.Simulator.Faults.Pending);
        Assert.Equal(3, host.CountRequests("GET", "/api/user"));
        Assert.Equal(3, host.CountRequests("POST", "/api/user"));
        Assert.Single(host.Simulator.GetUsers(), u => u.Email == "jane.doe@partner.example");
    }

    [Fact]
    public async Task Execute_TooManyRequestsBurst_IsRetriedHonouringRetryAfter()
    {
        await using var host = await StartAsync();
        host.Simulator.Faults.Add(SimulatedFault.TooManyRequests(TimeSpan.Zero), times: 3);

        var result = await host.RunAsync<CreateMetabaseAccountStep>(Input(groupId: 3));

        Assert.Equal("created", OutputString(result, "action"));
        Assert.Equal(0, host.Simulator.Faults.Pending);
    }

    [Fact]
    public async Task Execute_ErrorsOutlastRetries_FailsTransientlyWithTheStatus()
    {
        await using var host = await StartAsync((o, _) => o.MaxRetryAttempts = 2);
        host.Simulator.Faults.Add(SimulatedFault.Status(502, "Bad gateway"), times: 3);

        var ex = await Assert.ThrowsAsync<StepException>(async () => await host.RunAsync<CreateMetabaseAccountStep>(Input(groupId: 3)));

        Assert.True(ex.IsRetryable);
        Assert.Contains("502", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Bad gateway", ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, host.CountRequests("GET", "/api/user"));
    }

    [Fact]
    public async Task Execute_LongRetryAfter_IsLeftToTheRuntime()
    {
        await using var host = await StartAsync();
        host.Simulator.Faults.Add(SimulatedFault.TooManyRequests(TimeSpan.FromMinutes(2)), times: 1);

        var ex = await Assert.ThrowsAsync<StepException>(async () => await host.RunAsync<CreateMetabaseAccountStep>(Input(groupId: 3)));

        Assert.True(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.RateLimited, ex.ErrorType);
        Assert.Equal(TimeSpan.FromMinutes(2), ex.RetryAfter);
        Assert.Equal(1, host.CountRequests("GET", "/api/user"));
    }

    [Fact]
    public async Task Execute_DuplicateEmailAnsweredButNoUserFound_FailsPermanentlyWithTheServiceMessage()
    {
        await using var host = await StartAsync();
        host.Simulator.Faults.Add(
            SimulatedFault.Status(400, """{"errors":{"email":"Email address already in use."}}""", "application/json"), method: "POST", pathPrefix: "/api/user");

        var ex = await Assert.ThrowsAsync<StepException>(async () => await host.RunAsync<CreateMetabaseAccountStep>(Input(groupId: 3)));

        Assert.False(ex.IsRetryable);
        Assert.Contains("email: Email address already in use.", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, host.CountRequests("GET", "/api/user"));
    }
}
