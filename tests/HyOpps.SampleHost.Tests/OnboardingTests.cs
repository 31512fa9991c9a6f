using System.Net;
using System.Net.Http.Json;
using HyOpps.Onboarding;
using HyOpps.SampleHost.Api;
using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Domain;
using HyOpps.SampleHost.Workflows;
using HyOpps.Testing.Simulation;
using HyOpps.Workflows;
using Microsoft.Extensions.DependencyInjection;
using static HyOpps.SampleHost.Tests.SampleTestHost;

namespace HyOpps.SampleHost.Tests;

public sealed class OnboardingTests
{
    [Fact]
    public async Task AddUser_Sandbox_CompletesEveryStepWithItsOutputAndRecordsTheExternalIds()
    {
        await using var host = await StartAsync();
        var org = await host.DemoOrgAsync();
        using var admin = host.Admin();

        var started = await host.AddUserAsync(admin, org.Id, "Grace.Hopper@Partner.example", "Grace", "Hopper");
        var execution = await host.WaitAsync(started.ExecutionId);

        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.Equal(
            [
                PartnerWorkflowNames.ValidatePartnerUser, PartnerWorkflowNames.CreatePartnerUser,
                PartnerWorkflowNames.CreateMetabaseAccount, PartnerWorkflowNames.AddUserToMetabaseGroup,
                PartnerWorkflowNames.InviteToTeams, PartnerWorkflowNames.AddUserToTeamsChannel,
                PartnerWorkflowNames.AddUserToSlackGroup, PartnerWorkflowNames.AddUserToAtlassianGroup, PartnerWorkflowNames.ShareDocumentation,
                PartnerWorkflowNames.CompletePartnerUser,
            ],
            execution.Steps.Select(s => s.Id));
        Assert.All(execution.Steps, s => Assert.Equal(StepStatus.Succeeded, s.Status));
        Assert.All(execution.Steps, s => Assert.NotNull(s.Output));
        Assert.Equal("grace.hopper@partner.example", execution.GetStep(PartnerWorkflowNames.ValidatePartnerUser).Output!.Value.GetProperty("normalized_email").GetString());
        Assert.Equal(started.User.Id, execution.GetStep(PartnerWorkflowNames.CreatePartnerUser).Output!.Value.GetProperty("partner_user_id").GetString());
        var metabaseUserId = execution.GetStep(PartnerWorkflowNames.CreateMetabaseAccount).Output!.Value.GetProperty("metabase_user_id").GetInt32();
        var group = execution.GetStep(PartnerWorkflowNames.AddUserToMetabaseGroup).Output!.Value;
        Assert.Equal(org.MetabaseGroupId, group.GetProperty("metabase_group_id").GetInt32());
        Assert.True(group.GetProperty("verified").GetBoolean());
        var teamsUserId = execution.GetStep(PartnerWorkflowNames.InviteToTeams).Output!.Value.GetProperty("teams_user_id").GetString();
        Assert.False(string.IsNullOrEmpty(execution.GetStep(PartnerWorkflowNames.AddUserToTeamsChannel).Output!.Value.GetProperty("teams_membership_id").GetString()));
        var slackUserId = execution.GetStep(PartnerWorkflowNames.AddUserToSlackGroup).Output!.Value.GetProperty("slack_user_id").GetString();
        var atlassianId = execution.GetStep(PartnerWorkflowNames.AddUserToAtlassianGroup).Output!.Value.GetProperty("atlassian_account_id").GetString();
        Assert.True(execution.GetStep(PartnerWorkflowNames.AddUserToAtlassianGroup).Output!.Value.GetProperty("verified").GetBoolean());
        Assert.NotNull(execution.GetStep(PartnerWorkflowNames.ShareDocumentation).Output!.Value.GetProperty("message_id").GetString());
        Assert.Equal(org.Id, execution.Labels[PartnerWorkflowNames.OrgLabel]);
        Assert.Equal($"{org.Id}:grace.hopper@partner.example", execution.IdempotencyKey);

        var user = await host.GetUserAsync(started.User.Id);
        Assert.Equal(PartnerUserStatus.Active, user.Status);
        Assert.Equal(metabaseUserId, user.MetabaseUserId);
        Assert.Equal(teamsUserId, user.TeamsUserId);
        Assert.Equal(slackUserId, user.SlackUserId);
        Assert.Equal(atlassianId, user.AtlassianAccountId);
        Assert.Equal(started.ExecutionId, user.OnboardingExecutionId);

        var sandbox = host.Sandbox;
        Assert.Contains(org.MetabaseGroupId!.Value, sandbox.Metabase.GetGroupIdsOfUser(metabaseUserId));
        Assert.Contains(sandbox.Graph.GetTeamMembers(org.TeamsTeamId!), m => m.UserId == teamsUserId);
        Assert.Contains(sandbox.Graph.GetChannelMembers(org.TeamsTeamId!, org.TeamsChannelId!), m => m.UserId == teamsUserId);
        Assert.Contains(slackUserId!, sandbox.Slack.GetUserGroupMembers(org.SlackUserGroupId!));
        Assert.Contains(atlassianId!, sandbox.Atlassian.GetGroupMembers(org.AtlassianGroupId!));
        var mail = Assert.Single(sandbox.Smtp.Messages, m => m.EnvelopeRecipients.Contains("Grace.Hopper@Partner.example", StringComparer.OrdinalIgnoreCase));
        Assert.All(org.DocumentationLinks, link => Assert.Contains(link.Url, mail.HtmlBody, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddUser_SimulatorRefusesMidFlow_StepFailsThenOperatorRetryCompletes()
    {
        await using var host = await StartAsync();
        var org = await host.DemoOrgAsync();
        using var admin = host.Admin();
        host.Sandbox.Atlassian.Faults.Add(
            SimulatedFault.Status(403, """{"errorMessages":["You do not have permission to browse users."]}""", "application/json"),
            times: 1, method: "GET", pathPrefix: "/rest/api/3/user/search");

        var started = await host.AddUserAsync(admin, org.Id, "linus@partner.example", "Linus", "Torvalds");
        var failed = await host.WaitAsync(started.ExecutionId);

        Assert.Equal(ExecutionStatus.Failed, failed.Status);
        Assert.Equal(PartnerWorkflowNames.AddUserToAtlassianGroup, failed.CurrentStepId);
        var step = failed.GetStep(PartnerWorkflowNames.AddUserToAtlassianGroup);
        Assert.Equal(StepStatus.Failed, step.Status);
        Assert.False(string.IsNullOrWhiteSpace(step.Error));
        Assert.Equal(StepStatus.Succeeded, failed.GetStep(PartnerWorkflowNames.AddUserToSlackGroup).Status);
        Assert.Equal(StepStatus.Pending, failed.GetStep(PartnerWorkflowNames.ShareDocumentation).Status);
        Assert.Equal(PartnerUserStatus.Onboarding, (await host.GetUserAsync(started.User.Id)).Status);

        Assert.Equal(0, host.Sandbox.Atlassian.Faults.Pending);
        var retried = await admin.PostAsJsonAsync($"/api/executions/{started.ExecutionId}/retry", new { reason = "permission granted" }, Ct);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        var done = await host.WaitAsync(started.ExecutionId);

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        Assert.Equal(1, done.GetStep(PartnerWorkflowNames.AddUserToSlackGroup).Run);
        Assert.Equal(2, done.GetStep(PartnerWorkflowNames.AddUserToAtlassianGroup).Run);
        Assert.Contains(done.Audit, a => a.Action == "retry" && a.Actor == "admin:admin" && a.Reason == "permission granted");
        Assert.Equal(PartnerUserStatus.Active, (await host.GetUserAsync(started.User.Id)).Status);
    }

    [Fact]
    public async Task Rerun_FromStep4_RepeatsStep4OnwardOnly()
    {
        await using var host = await StartAsync();
        var org = await host.DemoOrgAsync();
        using var admin = host.Admin();
        var started = await host.AddUserAsync(admin, org.Id, "ada@partner.example");
        var first = await host.WaitAsync(started.ExecutionId);
        Assert.Equal(ExecutionStatus.Succeeded, first.Status);
        var mailsBefore = host.Sandbox.Smtp.Messages.Count;

        var rerun = await admin.PostAsJsonAsync($"/api/executions/{started.ExecutionId}/rerun", new { step_number = 4, reason = "check again" }, Ct);
        Assert.Equal(HttpStatusCode.OK, rerun.StatusCode);
        var second = await host.WaitAsync(started.ExecutionId);

        Assert.Equal(ExecutionStatus.Succeeded, second.Status);
        foreach (var step in second.Steps)
        {
            var before = first.GetStep(step.Id);
            if (step.Index < 3)
            {
                Assert.Equal(1, step.Run);
                Assert.Equal(before.Attempts.Count, step.Attempts.Count);
                Assert.Equal(before.CompletedAt, step.CompletedAt);
            }
            else
            {
                Assert.Equal(2, step.Run);
                Assert.Equal(StepStatus.Succeeded, step.Status);
                Assert.Contains(step.Attempts, a => a.Run == 2);
            }
        }

        Assert.Contains(second.Audit, a => a.Action == "rerun_from" && a.Detail == second.Steps[3].Id);
        Assert.True(host.Sandbox.Smtp.Messages.Count >= mailsBefore);
    }

    [Fact]
    public async Task RemoveUser_AfterOnboarding_RemovesEveryMembershipAndMarksRemoved()
    {
        await using var host = await StartAsync();
        var org = await host.DemoOrgAsync();
        using var admin = host.Admin();
        var started = await host.AddUserAsync(admin, org.Id, "ken@partner.example", "Ken", "Thompson");
        Assert.Equal(ExecutionStatus.Succeeded, (await host.WaitAsync(started.ExecutionId)).Status);
        var onboarded = await host.GetUserAsync(started.User.Id);
        var slackMembersBefore = host.Sandbox.Slack.GetUserGroupMembers(org.SlackUserGroupId!);

        var response = await admin.DeleteAsync($"/api/users/{started.User.Id}", Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var removal = (await response.Content.ReadFromJsonAsync<UserWorkflowResponse>(Json, Ct))!;
        Assert.Equal(PartnerWorkflowNames.RemovePartnerUser, removal.WorkflowName);
        Assert.Equal(PartnerUserStatus.Offboarding, removal.User.Status);
        var execution = await host.WaitAsync(removal.ExecutionId);

        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.Equal(org.Id, execution.Labels[PartnerWorkflowNames.OrgLabel]);
        Assert.DoesNotContain(org.MetabaseGroupId!.Value, host.Sandbox.Metabase.GetGroupIdsOfUser(onboarded.MetabaseUserId!.Value));
        Assert.False(host.Sandbox.Metabase.GetUser(onboarded.MetabaseUserId.Value)!.IsActive);
        Assert.DoesNotContain(host.Sandbox.Graph.GetTeamMembers(org.TeamsTeamId!), m => m.UserId == onboarded.TeamsUserId);
        Assert.DoesNotContain(onboarded.SlackUserId!, host.Sandbox.Slack.GetUserGroupMembers(org.SlackUserGroupId!));
        Assert.Equal(slackMembersBefore.Count - 1, host.Sandbox.Slack.GetUserGroupMembers(org.SlackUserGroupId!).Count);
        Assert.DoesNotContain(onboarded.AtlassianAccountId!, host.Sandbox.Atlassian.GetGroupMembers(org.AtlassianGroupId!));
        var removed = await host.GetUserAsync(started.User.Id);
        Assert.Equal(PartnerUserStatus.Removed, removed.Status);
        Assert.Equal(removal.ExecutionId, removed.OffboardingExecutionId);

        var again = await admin.DeleteAsync($"/api/users/{started.User.Id}", Ct);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        // A removed person can be added again: a new onboarding, not the old one returned by its idempotency key.
        var readded = await host.AddUserAsync(admin, org.Id, "ken@partner.example", "Ken", "Thompson");
        Assert.Equal(started.User.Id, readded.User.Id);
        Assert.NotEqual(started.ExecutionId, readded.ExecutionId);
        Assert.Equal(ExecutionStatus.Succeeded, (await host.WaitAsync(readded.ExecutionId)).Status);
    }

    [Fact]
    public async Task Cancel_FailedThenCancelledExecution_AnswersConflict()
    {
        await using var host = await StartAsync();
        var org = await host.DemoOrgAsync();
        using var admin = host.Admin();
        host.Sandbox.Atlassian.Faults.Add(SimulatedFault.Status(401), times: 1, method: "GET", pathPrefix: "/rest/api/3/user/search");
        var started = await host.AddUserAsync(admin, org.Id, "barbara@partner.example", "Barbara", "Liskov");
        Assert.Equal(ExecutionStatus.Failed, (await host.WaitAsync(started.ExecutionId)).Status);

        var cancel = await admin.PostAsync($"/api/executions/{started.ExecutionId}/cancel", null, Ct);
        Assert.True(HttpStatusCode.Conflict == cancel.StatusCode, await cancel.Content.ReadAsStringAsync(Ct));
        var approve = await admin.PostAsync($"/api/executions/{started.ExecutionId}/approve", null, Ct);
        Assert.Equal(HttpStatusCode.Conflict, approve.StatusCode);
    }

    [Fact]
    public async Task Validate_SameEmailOnboardingUnderWayInTheSameOrg_FailsWithTheOtherExecution_AnotherOrgIsRefusedUnnamed()
    {
        await using var host = await StartAsync();
        var orgA = await host.DemoOrgAsync();
        var orgB = await host.CreateOrgAsync("Org B");
        using var admin = host.Admin();

        // Slack asks for a long wait, so the first onboarding sits pending at its Slack step.
        host.Sandbox.Slack.InjectRateLimit("users.lookupByEmail", TimeSpan.FromSeconds(60), times: 5);
        var first = await host.AddUserAsync(admin, orgA.Id, "margaret@partner.example", "Margaret", "Hamilton");
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            while ((await host.Workflows.GetAsync(first.ExecutionId, timeout.Token)) is not { Status: ExecutionStatus.Pending, CurrentStepId: PartnerWorkflowNames.AddUserToSlackGroup })
            {
                await Task.Delay(50, timeout.Token);
            }
        }

        // Another org: the host refuses the address before any workflow starts, and names nothing of org A.
        using var elsewhere = await admin.PostAsJsonAsync("/api/users", new { org_id = orgB.Id, email = "Margaret@Partner.example", first_name = "Margaret", last_name = "Hamilton" }, Ct);
        var refusal = await elsewhere.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.Conflict, elsewhere.StatusCode);
        Assert.DoesNotContain(first.ExecutionId, refusal, StringComparison.Ordinal);
        Assert.DoesNotContain(orgA.Id, refusal, StringComparison.Ordinal);

        // The same org, a second onboarding started outside the API (another key): the step names the first, the org's own.
        var org = (await host.Services.GetRequiredService<OrgStore>().GetAsync(orgA.Id, Ct))!;
        var second = await host.Workflows.StartAsync(PartnerWorkflowNames.NewPartnerUser, new PartnerOnboardingInput
        {
            Org = org.ToPartnerOrg(),
            User = new PartnerUser { Email = "Margaret@Partner.example", FirstName = "Margaret", LastName = "Hamilton" },
        }, new StartExecutionOptions { IdempotencyKey = "second-margaret", Labels = PartnerUserService.Labels(orgA.Id, "margaret@partner.example") }, Ct);
        var failed = await host.WaitAsync(second.ExecutionId);

        Assert.Equal(ExecutionStatus.Failed, failed.Status);
        var step = failed.GetStep(PartnerWorkflowNames.ValidatePartnerUser);
        Assert.Equal(StepStatus.Failed, step.Status);
        Assert.Equal(StepErrorTypes.InvalidInput, step.ErrorType);
        Assert.Contains(first.ExecutionId, step.Error, StringComparison.Ordinal);
        Assert.Single(step.Attempts);
        Assert.Equal(StepStatus.Pending, failed.GetStep(PartnerWorkflowNames.CreatePartnerUser).Status);
    }
}
