using HyOpps.Testing.Metabase;
using HyOpps.Testing.Simulation;
using HyOpps.Workflows;
using static HyOpps.Integrations.Metabase.Tests.MetabaseTestHost;

namespace HyOpps.Integrations.Metabase.Tests;

public sealed class AddUserToMetabaseGroupStepTests
{
    private static Action<Testing.Steps.TestStepContext> After(int userId)
        => c => c.WithOutput(CreateMetabaseAccountStep.Id, new { MetabaseUserId = userId, Action = "created" });

    [Fact]
    public async Task Execute_NotAMember_AddsVerifiesAndOutputsTheGroup()
    {
        await using var host = await StartAsync();
        var groupId = host.Simulator.CreateGroup("Acme");
        var userId = host.Simulator.AddUser("jane.doe@partner.example", "Jane", "Doe");

        var result = await host.RunAsync<AddUserToMetabaseGroupStep>(Input(groupId: groupId), After(userId));

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        Assert.Equal(groupId, OutputInt(result, "metabase_group_id"));
        Assert.Equal(userId, OutputInt(result, "metabase_user_id"));
        Assert.True(result.Output!["verified"]!.GetValue<bool>());
        Assert.Equal("added", OutputString(result, "action"));
        Assert.Equal([MetabaseSimulator.AllUsersGroupId, groupId], host.Simulator.GetGroupIdsOfUser(userId));
        Assert.Equal(2, host.CountRequests("GET", $"/api/user/{userId}"));
    }

    [Fact]
    public async Task Execute_Twice_PostsOnceAndLeavesTheSameState()
    {
        await using var host = await StartAsync();
        var groupId = host.Simulator.CreateGroup("Acme");
        var userId = host.Simulator.AddUser("jane.doe@partner.example", "Jane", "Doe");

        await host.RunAsync<AddUserToMetabaseGroupStep>(Input(groupId: groupId), After(userId));
        var membership = host.Simulator.GetMembershipId(userId, groupId);
        var second = await host.RunAsync<AddUserToMetabaseGroupStep>(Input(groupId: groupId), After(userId));

        Assert.Equal("already_member", OutputString(second, "action"));
        Assert.True(second.Output!["verified"]!.GetValue<bool>());
        Assert.Equal(membership, host.Simulator.GetMembershipId(userId, groupId));
        Assert.Equal([userId], host.Simulator.GetGroupMembers(groupId));
        Assert.Equal(1, host.CountRequests("POST", "/api/permissions/membership"));
    }

    [Fact]
    public async Task Execute_GroupMissing_FailsPermanentlyNamingTheGroupId()
    {
        await using var host = await StartAsync();
        var userId = host.Simulator.AddUser("jane.doe@partner.example");

        var ex = await Assert.ThrowsAsync<StepException>(async () =>
            await host.RunAsync<AddUserToMetabaseGroupStep>(Input(groupId: 4242), After(userId)));

        Assert.False(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.NotFound, ex.ErrorType);
        Assert.Contains("4242", ex.Message, StringComparison.Ordinal);
        Assert.Contains("the org's Metabase group id", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, host.CountRequests("POST", "/api/permissions/membership"));
    }

    [Fact]
    public async Task Execute_MembershipSilentlyDoesNotStick_Fails()
    {
        await using var host = await StartAsync();
        var groupId = host.Simulator.CreateGroup("Acme");
        var userId = host.Simulator.AddUser("jane.doe@partner.example");
        host.Simulator.DropMembershipsSilently();

        var ex = await Assert.ThrowsAsync<StepException>(async () =>
            await host.RunAsync<AddUserToMetabaseGroupStep>(Input(groupId: groupId), After(userId)));

        Assert.Equal("not_verified", ex.ErrorType);
        Assert.Contains($"group {groupId}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("user_group_memberships", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, host.CountRequests("POST", "/api/permissions/membership"));
        Assert.Equal([MetabaseSimulator.AllUsersGroupId], host.Simulator.GetGroupIdsOfUser(userId));
    }

    [Fact]
    public async Task Execute_AfterAMembershipDidNotStick_NextAttemptAddsIt()
    {
        await using var host = await StartAsync();
        var groupId = host.Simulator.CreateGroup("Acme");
        var userId = host.Simulator.AddUser("jane.doe@partner.example");
        host.Simulator.DropMembershipsSilently();
        await Assert.ThrowsAsync<StepException>(async () => await host.RunAsync<AddUserToMetabaseGroupStep>(Input(groupId: groupId), After(userId)));

        var result = await host.RunAsync<AddUserToMetabaseGroupStep>(Input(groupId: groupId), After(userId));

        Assert.Equal("added", OutputString(result, "action"));
        Assert.Contains(groupId, host.Simulator.GetGroupIdsOfUser(userId));
    }

    [Fact]
    public async Task Execute_MembershipErrorBurst_IsRetriedToSuccess()
    {
        await using var host = await StartAsync();
        var groupId = host.Simulator.CreateGroup("Acme");
        var userId = host.Simulator.AddUser("jane.doe@partner.example");
        host.Simulator.Faults.Add(SimulatedFault.Status(500), times: 2, method: "POST", pathPrefix: "/api/permissions/membership");
        host.Simulator.Faults.Add(SimulatedFault.TooManyRequests(TimeSpan.Zero), times: 2, method: "GET", pathPrefix: "/api/permissions/group");

        var result = await host.RunAsync<AddUserToMetabaseGroupStep>(Input(groupId: groupId), After(userId));

        Assert.Equal("added", OutputString(result, "action"));
        Assert.Equal([userId], host.Simulator.GetGroupMembers(groupId));
    }

    [Fact]
    public async Task Execute_UserIsAnAdministrator_FailsPermanentlyAndAddsNothing()
    {
        await using var host = await StartAsync();
        var groupId = host.Simulator.CreateGroup("Acme");
        var userId = host.Simulator.AddUser("jane.doe@partner.example", isSuperuser: true);

        var ex = await Assert.ThrowsAsync<StepException>(async () =>
            await host.RunAsync<AddUserToMetabaseGroupStep>(Input(groupId: groupId), After(userId)));

        Assert.False(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.PermissionDenied, ex.ErrorType);
        Assert.Empty(host.Simulator.GetGroupMembers(groupId));
        Assert.Equal(0, host.CountRequests("POST", "/api/permissions/membership"));
    }

    [Fact]
    public async Task Execute_AdministratorsGroup_IsRefused()
    {
        await using var host = await StartAsync();
        var userId = host.Simulator.AddUser("jane.doe@partner.example");

        var ex = await Assert.ThrowsAsync<StepException>(async () =>
            await host.RunAsync<AddUserToMetabaseGroupStep>(Input(groupId: MetabaseSimulator.AdministratorsGroupId), After(userId)));

        Assert.False(ex.IsRetryable);
        Assert.Contains("Administrators", ex.Message, StringComparison.Ordinal);
        Assert.False(host.Simulator.GetUser(userId)!.IsSuperuser);
    }

    [Fact]
    public async Task Execute_WithoutTheCreateStepOutput_FindsTheUserByEmail()
    {
        await using var host = await StartAsync();
        var groupId = host.Simulator.CreateGroup("Acme");
        var userId = host.Simulator.AddUser("jane.doe@partner.example");

        var result = await host.RunAsync<AddUserToMetabaseGroupStep>(Input("Jane.Doe@partner.example", groupId: groupId));

        Assert.Equal(userId, OutputInt(result, "metabase_user_id"));
        Assert.Contains(groupId, host.Simulator.GetGroupIdsOfUser(userId));
    }

    [Fact]
    public async Task Execute_UnknownUserAndNoCreateOutput_FailsPermanently()
    {
        await using var host = await StartAsync();
        var groupId = host.Simulator.CreateGroup("Acme");

        var ex = await Assert.ThrowsAsync<StepException>(async () => await host.RunAsync<AddUserToMetabaseGroupStep>(Input(groupId: groupId)));

        Assert.False(ex.IsRetryable);
        Assert.Contains(CreateMetabaseAccountStep.Id, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_AfterCreateStep_UsesItsOutput()
    {
        await using var host = await StartAsync();
        var groupId = host.Simulator.CreateGroup("Acme");
        var input = Input(groupId: groupId);
        var created = await host.RunAsync<CreateMetabaseAccountStep>(input);

        var result = await host.RunAsync<AddUserToMetabaseGroupStep>(input, c => c.WithOutput(CreateMetabaseAccountStep.Id, created.Output!));

        var userId = OutputInt(created, "metabase_user_id");
        Assert.Equal(userId, OutputInt(result, "metabase_user_id"));
        Assert.Equal([MetabaseSimulator.AllUsersGroupId, groupId], host.Simulator.GetGroupIdsOfUser(userId));
        Assert.Equal(1, host.CountRequests("GET", "/api/user?"));
    }
}
