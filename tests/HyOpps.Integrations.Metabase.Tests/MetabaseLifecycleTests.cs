using HyOpps.Testing.Metabase;
using static HyOpps.Integrations.Metabase.Tests.MetabaseTestHost;

namespace HyOpps.Integrations.Metabase.Tests;

public sealed class MetabaseLifecycleTests
{
    [Fact]
    public async Task OnboardOffboardOnboard_EndsActiveInTheGroupWithOneAccount()
    {
        await using var host = await StartAsync();
        var groupId = host.Simulator.CreateGroup("Acme");
        var input = Input(groupId: groupId);

        var created = await host.RunAsync<CreateMetabaseAccountStep>(input);
        await host.RunAsync<AddUserToMetabaseGroupStep>(input, c => c.WithOutput(CreateMetabaseAccountStep.Id, created.Output!));
        var userId = OutputInt(created, "metabase_user_id");
        var offboarding = Recorded(userId, groupId, createdByHyOpps: true);
        await host.RunAsync<RemoveUserFromMetabaseGroupStep>(offboarding);
        await host.RunAsync<DeactivateMetabaseAccountStep>(offboarding);
        Assert.False(host.Simulator.GetUser(userId)!.IsActive);
        Assert.Equal([MetabaseSimulator.AllUsersGroupId], host.Simulator.GetGroupIdsOfUser(userId));

        var again = await host.RunAsync<CreateMetabaseAccountStep>(input);
        var added = await host.RunAsync<AddUserToMetabaseGroupStep>(input, c => c.WithOutput(CreateMetabaseAccountStep.Id, again.Output!));

        Assert.Equal("reactivated", OutputString(again, "action"));
        Assert.Equal(userId, OutputInt(again, "metabase_user_id"));
        Assert.Equal("added", OutputString(added, "action"));
        Assert.True(host.Simulator.GetUser(userId)!.IsActive);
        Assert.Equal([MetabaseSimulator.AllUsersGroupId, groupId], host.Simulator.GetGroupIdsOfUser(userId));
        Assert.Single(host.Simulator.GetUsers(), u => u.Email == "jane.doe@partner.example");
    }
}
