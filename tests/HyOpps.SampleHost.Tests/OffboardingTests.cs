using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HyOpps.Onboarding;
using HyOpps.SampleHost.Api;
using HyOpps.SampleHost.Workflows;
using HyOpps.Workflows;
using static HyOpps.SampleHost.Tests.SampleTestHost;

namespace HyOpps.SampleHost.Tests;

public sealed class OffboardingTests
{
    [Fact]
    public async Task RemoveUser_MetabaseAccountThatExistedBefore_IsOnlyTakenOutOfTheGroupAndStaysActive()
    {
        await using var host = await StartAsync();
        var org = await host.DemoOrgAsync();
        using var admin = host.Admin();
        var existing = host.Sandbox.Metabase.AddUser("linus@partner.example", "Linus", "Torvalds");
        var started = await host.AddUserAsync(admin, org.Id, "linus@partner.example", "Linus", "Torvalds");
        Assert.Equal(ExecutionStatus.Succeeded, (await host.WaitAsync(started.ExecutionId)).Status);
        var onboarded = await host.GetUserAsync(started.User.Id);
        Assert.Equal(existing, onboarded.MetabaseUserId);
        Assert.Contains(org.MetabaseGroupId!.Value, host.Sandbox.Metabase.GetGroupIdsOfUser(existing));

        var response = await admin.DeleteAsync($"/api/users/{started.User.Id}", Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var removal = (await response.Content.ReadFromJsonAsync<UserWorkflowResponse>(Json, Ct))!;
        var execution = await host.WaitAsync(removal.ExecutionId);

        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.True(host.Sandbox.Metabase.GetUser(existing)!.IsActive);
        Assert.DoesNotContain(org.MetabaseGroupId.Value, host.Sandbox.Metabase.GetGroupIdsOfUser(existing));
        Assert.Equal(StepStatus.Skipped, execution.GetStep(PartnerWorkflowNames.DeactivateMetabaseAccount).Status);
        var input = execution.Input.Deserialize<PartnerOnboardingInput>(HyOppsJson.SerializerOptions)!;
        Assert.Equal(new RecordedAccount { Id = existing.ToString(System.Globalization.CultureInfo.InvariantCulture), CreatedByHyOpps = false }, input.User.Accounts.Metabase);
        Assert.Equal(onboarded.TeamsUserId, input.User.Accounts.Teams?.Id);
        Assert.Equal(onboarded.SlackUserId, input.User.Accounts.Slack?.Id);
        Assert.Equal(onboarded.AtlassianAccountId, input.User.Accounts.Atlassian?.Id);
    }

    [Fact]
    public async Task RemoveUser_MetabaseAccountHyOppsCreated_IsDeactivated()
    {
        await using var host = await StartAsync();
        var org = await host.DemoOrgAsync();
        using var admin = host.Admin();
        var started = await host.AddUserAsync(admin, org.Id, "dennis@partner.example", "Dennis", "Ritchie");
        Assert.Equal(ExecutionStatus.Succeeded, (await host.WaitAsync(started.ExecutionId)).Status);
        var onboarded = await host.GetUserAsync(started.User.Id);

        var response = await admin.DeleteAsync($"/api/users/{started.User.Id}", Ct);
        var removal = (await response.Content.ReadFromJsonAsync<UserWorkflowResponse>(Json, Ct))!;
        var execution = await host.WaitAsync(removal.ExecutionId);

        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        var input = execution.Input.Deserialize<PartnerOnboardingInput>(HyOppsJson.SerializerOptions)!;
        Assert.True(input.User.Accounts.Metabase!.CreatedByHyOpps);
        Assert.Equal(StepStatus.Succeeded, execution.GetStep(PartnerWorkflowNames.DeactivateMetabaseAccount).Status);
        Assert.False(host.Sandbox.Metabase.GetUser(onboarded.MetabaseUserId!.Value)!.IsActive);
    }
}
