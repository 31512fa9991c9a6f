using HyOpps.Testing.Metabase;
using HyOpps.Workflows;
using static HyOpps.Integrations.Metabase.Tests.MetabaseTestHost;

namespace HyOpps.Integrations.Metabase.Tests;

public sealed class DeactivateMetabaseAccountStepTests
{
    [Fact]
    public async Task Execute_RecordedAccountHyOppsCreated_DeactivatesItKeepingMemberships()
    {
        await using var host = await StartAsync();
        var groupId = host.Simulator.CreateGroup("Acme");
        var userId = host.Simulator.AddUser("jane.doe@partner.example");
        host.Simulator.AddUserToGroup(userId, groupId);

        var result = await host.RunAsync<DeactivateMetabaseAccountStep>(Recorded(userId, groupId));

        Assert.Equal("deactivated", OutputString(result, "action"));
        Assert.Equal(userId, OutputInt(result, "metabase_user_id"));
        Assert.False(host.Simulator.GetUser(userId)!.IsActive);
        Assert.Equal([MetabaseSimulator.AllUsersGroupId, groupId], host.Simulator.GetGroupIdsOfUser(userId));
        Assert.Equal(0, host.CountRequests("GET", "/api/user?"));
    }

    [Fact]
    public async Task Execute_Twice_SecondRunSeesItInactive()
    {
        await using var host = await StartAsync();
        var userId = host.Simulator.AddUser("jane.doe@partner.example");

        await host.RunAsync<DeactivateMetabaseAccountStep>(Recorded(userId, 3));
        var second = await host.RunAsync<DeactivateMetabaseAccountStep>(Recorded(userId, 3));

        Assert.Equal("already_inactive", OutputString(second, "action"));
        Assert.Equal(userId, OutputInt(second, "metabase_user_id"));
        Assert.Equal(1, host.CountRequests("DELETE", "/api/user/"));
    }

    [Fact]
    public async Task Execute_RecordedUserGone_Succeeds()
    {
        await using var host = await StartAsync();

        var result = await host.RunAsync<DeactivateMetabaseAccountStep>(Recorded(4242, 3));

        Assert.Equal("not_found", OutputString(result, "action"));
        Assert.Equal(0, host.CountRequests("DELETE", "/api/user/"));
    }

    [Fact]
    public async Task Execute_AccountOnboardingFoundExisting_IsSkippedAndStaysActive()
    {
        await using var host = await StartAsync();
        var userId = host.Simulator.AddUser("jane.doe@partner.example");

        var result = await host.RunAsync<DeactivateMetabaseAccountStep>(Recorded(userId, 3, createdByHyOpps: false));

        Assert.Equal(StepOutcome.Skipped, result.Outcome);
        Assert.Contains("existed before", result.Reason, StringComparison.Ordinal);
        Assert.Equal("existed_before_onboarding", OutputString(result, "action"));
        Assert.True(host.Simulator.GetUser(userId)!.IsActive);
        Assert.Empty(host.Simulator.Requests);
    }

    [Fact]
    public async Task Execute_RecordedAccountIsASuperuser_FailsPermanentlyAndStaysActive()
    {
        await using var host = await StartAsync();
        var userId = host.Simulator.AddUser("jane.doe@partner.example", isSuperuser: true);

        var ex = await Assert.ThrowsAsync<StepException>(async () =>
            await host.RunAsync<DeactivateMetabaseAccountStep>(Recorded(userId, 3)));

        Assert.False(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.PermissionDenied, ex.ErrorType);
        Assert.True(host.Simulator.GetUser(userId)!.IsActive);
        Assert.Equal(0, host.CountRequests("DELETE", "/api/user/"));
    }
}
