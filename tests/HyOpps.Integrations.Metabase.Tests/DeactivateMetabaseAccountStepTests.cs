using HyOpps.Testing.Metabase;
using static HyOpps.Integrations.Metabase.Tests.MetabaseTestHost;

namespace HyOpps.Integrations.Metabase.Tests;

public sealed class DeactivateMetabaseAccountStepTests
{
    [Fact]
    public async Task Execute_ActiveUser_DeactivatesItKeepingMemberships()
    {
        await using var host = await StartAsync();
        var groupId = host.Simulator.CreateGroup("Acme");
        var userId = host.Simulator.AddUser("jane.doe@partner.example");
        host.Simulator.AddUserToGroup(userId, groupId);

        var result = await host.RunAsync<DeactivateMetabaseAccountStep>(Input("Jane.Doe@partner.example", groupId: groupId));

        Assert.Equal("deactivated", OutputString(result, "action"));
        Assert.Equal(userId, OutputInt(result, "metabase_user_id"));
        Assert.False(host.Simulator.GetUser(userId)!.IsActive);
        Assert.Equal([MetabaseSimulator.AllUsersGroupId, groupId], host.Simulator.GetGroupIdsOfUser(userId));
    }

    [Fact]
    public async Task Execute_Twice_SecondRunSeesItInactive()
    {
        await using var host = await StartAsync();
        var userId = host.Simulator.AddUser("jane.doe@partner.example");

        await host.RunAsync<DeactivateMetabaseAccountStep>(Input(groupId: 3));
        var second = await host.RunAsync<DeactivateMetabaseAccountStep>(Input(groupId: 3));

        Assert.Equal("already_inactive", OutputString(second, "action"));
        Assert.Equal(userId, OutputInt(second, "metabase_user_id"));
        Assert.Equal(1, host.CountRequests("DELETE", "/api/user/"));
    }

    [Fact]
    public async Task Execute_UnknownUser_Succeeds()
    {
        await using var host = await StartAsync();

        var result = await host.RunAsync<DeactivateMetabaseAccountStep>(Input(groupId: 3));

        Assert.Equal("not_found", OutputString(result, "action"));
        Assert.Equal(0, host.CountRequests("DELETE", "/api/user/"));
    }

    [Fact]
    public async Task Execute_OrgWithoutMetabaseGroup_StillDeactivates()
    {
        await using var host = await StartAsync();
        var userId = host.Simulator.AddUser("jane.doe@partner.example");

        var result = await host.RunAsync<DeactivateMetabaseAccountStep>(Input(groupId: null));

        Assert.Equal("deactivated", OutputString(result, "action"));
        Assert.False(host.Simulator.GetUser(userId)!.IsActive);
    }
}
