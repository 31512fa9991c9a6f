using HyOpps.Testing.Metabase;
using HyOpps.Testing.Simulation;
using HyOpps.Workflows;
using static HyOpps.Integrations.Metabase.Tests.MetabaseTestHost;

namespace HyOpps.Integrations.Metabase.Tests;

public sealed class RemoveUserFromMetabaseGroupStepTests
{
    [Fact]
    public async Task Execute_RecordedMember_RemovesTheMembershipAndVerifies()
    {
        await using var host = await StartAsync();
        var groupId = host.Simulator.CreateGroup("Acme");
        var otherGroup = host.Simulator.CreateGroup("Other");
        var userId = host.Simulator.AddUser("jane.doe@partner.example");
        host.Simulator.AddUserToGroup(userId, groupId);
        host.Simulator.AddUserToGroup(userId, otherGroup);
        var membershipId = host.Simulator.GetMembershipId(userId, groupId);

        var result = await host.RunAsync<RemoveUserFromMetabaseGroupStep>(Recorded(userId, groupId, createdByHyOpps: false));

        Assert.Equal("removed", OutputString(result, "action"));
        Assert.Equal(userId, OutputInt(result, "metabase_user_id"));
        Assert.True(result.Output!["verified"]!.GetValue<bool>());
        Assert.Equal([MetabaseSimulator.AllUsersGroupId, otherGroup], host.Simulator.GetGroupIdsOfUser(userId));
        Assert.Equal(1, host.CountRequests("DELETE", $"/api/permissions/membership/{membershipId}"));
        Assert.Equal(0, host.CountRequests("GET", "/api/user?"));
    }

    [Fact]
    public async Task Execute_Twice_SecondRunFindsNothingToRemove()
    {
        await using var host = await StartAsync();
        var groupId = host.Simulator.CreateGroup("Acme");
        var userId = host.Simulator.AddUser("jane.doe@partner.example");
        host.Simulator.AddUserToGroup(userId, groupId);

        await host.RunAsync<RemoveUserFromMetabaseGroupStep>(Recorded(userId, groupId));
        var second = await host.RunAsync<RemoveUserFromMetabaseGroupStep>(Recorded(userId, groupId));

        Assert.Equal("not_member", OutputString(second, "action"));
        Assert.Equal([MetabaseSimulator.AllUsersGroupId], host.Simulator.GetGroupIdsOfUser(userId));
        Assert.Equal(1, host.CountRequests("DELETE", "/api/permissions/membership/"));
    }

    [Fact]
    public async Task Execute_RecordedUserGone_SucceedsWithUserNotFound()
    {
        await using var host = await StartAsync();
        var groupId = host.Simulator.CreateGroup("Acme");

        var result = await host.RunAsync<RemoveUserFromMetabaseGroupStep>(Recorded(4242, groupId));

        Assert.Equal("user_not_found", OutputString(result, "action"));
        Assert.Equal(4242, OutputInt(result, "metabase_user_id"));
    }

    [Fact]
    public async Task Execute_RecordedAccountIsNowAnAdministrator_FailsPermanentlyAndRemovesNothing()
    {
        await using var host = await StartAsync();
        var groupId = host.Simulator.CreateGroup("Acme");
        var userId = host.Simulator.AddUser("jane.doe@partner.example");
        host.Simulator.AddUserToGroup(userId, groupId);
        host.Simulator.AddUserToGroup(userId, MetabaseSimulator.AdministratorsGroupId);

        var ex = await Assert.ThrowsAsync<StepException>(async () =>
            await host.RunAsync<RemoveUserFromMetabaseGroupStep>(Recorded(userId, groupId)));

        Assert.False(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.PermissionDenied, ex.ErrorType);
        Assert.Contains("administrator", ex.Message, StringComparison.Ordinal);
        Assert.Contains(groupId, host.Simulator.GetGroupIdsOfUser(userId));
        Assert.Equal(0, host.CountRequests("DELETE", "/api/"));
    }

    [Fact]
    public async Task Execute_NonPositiveRecordedId_FailsNamingTheField()
    {
        await using var host = await StartAsync();

        var ex = await Assert.ThrowsAsync<StepException>(async () =>
            await host.RunAsync<RemoveUserFromMetabaseGroupStep>(Recorded(-42, groupId: 5)));

        Assert.False(ex.IsRetryable);
        Assert.Contains("metabase_user_id", ex.Message, StringComparison.Ordinal);
        Assert.Empty(host.Simulator.Requests);
    }

    [Fact]
    public async Task Execute_GroupGone_Succeeds()
    {
        await using var host = await StartAsync();
        var userId = host.Simulator.AddUser("jane.doe@partner.example");

        var result = await host.RunAsync<RemoveUserFromMetabaseGroupStep>(Recorded(userId, 999));

        Assert.Equal("group_not_found", OutputString(result, "action"));
    }

    [Fact]
    public async Task Execute_AllUsersGroup_IsRefused()
    {
        await using var host = await StartAsync();
        var userId = host.Simulator.AddUser("jane.doe@partner.example");

        var ex = await Assert.ThrowsAsync<StepException>(async () =>
            await host.RunAsync<RemoveUserFromMetabaseGroupStep>(Recorded(userId, MetabaseSimulator.AllUsersGroupId)));

        Assert.False(ex.IsRetryable);
        Assert.Contains("All Users", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_DeleteErrorBurst_IsRetriedToSuccess()
    {
        await using var host = await StartAsync();
        var groupId = host.Simulator.CreateGroup("Acme");
        var userId = host.Simulator.AddUser("jane.doe@partner.example");
        host.Simulator.AddUserToGroup(userId, groupId);
        host.Simulator.Faults.Add(SimulatedFault.Status(500), times: 2, method: "DELETE");

        var result = await host.RunAsync<RemoveUserFromMetabaseGroupStep>(Recorded(userId, groupId));

        Assert.Equal("removed", OutputString(result, "action"));
        Assert.Empty(host.Simulator.GetGroupMembers(groupId));
    }

}
