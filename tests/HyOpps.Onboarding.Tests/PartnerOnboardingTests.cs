using HyOpps.Integrations.Atlassian;
using HyOpps.Integrations.Email;
using HyOpps.Integrations.Metabase;
using HyOpps.Integrations.Slack;
using HyOpps.Integrations.Teams;
using HyOpps.TestUtilities;
using HyOpps.Workflows;
using Microsoft.Extensions.DependencyInjection;

namespace HyOpps.Onboarding.Tests;

public sealed class PartnerOnboardingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The host's orgs, changed by a test between attempts.</summary>
    private sealed class Directory : IPartnerDirectory
    {
        public Dictionary<string, PartnerOrg> Orgs { get; } = [];

        public List<RecordedAccounts> Recorded { get; } = [];

        public ValueTask<PartnerOrg?> FindOrgAsync(string orgId, CancellationToken cancellationToken) => ValueTask.FromResult(Orgs.GetValueOrDefault(orgId));

        public ValueTask RecordAccountsAsync(string orgId, string email, string executionId, RecordedAccounts accounts, CancellationToken cancellationToken)
        {
            Recorded.Add(accounts);
            return ValueTask.CompletedTask;
        }
    }

    private static Task<WorkflowTestHost> StartAsync(Directory? directory = null) => WorkflowTestHost.StartAsync(
        h => h.AddMetabase().AddTeams().AddSlack().AddAtlassian().AddEmail().AddPartnerOnboarding(o => o.DefaultRetryPolicy = RetryPolicy.None),
        services: directory is null ? null : s => s.AddSingleton<IPartnerDirectory>(directory));

    private static PartnerOnboardingInput Input(PartnerOrg org) => new()
    {
        Org = org,
        User = new PartnerUser { Email = "Ada@Partner.example", FirstName = "Ada", LastName = "Lovelace" },
    };

    [Fact]
    public async Task NewPartnerUser_OrgUsingNoIntegration_EveryStepSkippedByTheDefinitionNamingWhy()
    {
        await using var host = await StartAsync();

        var id = (await host.Client.StartAsync(PartnerOnboardingWorkflows.NewPartnerUser, Input(new PartnerOrg { Name = "Acme" }), cancellationToken: Ct)).ExecutionId;
        var done = await host.Client.WaitForCompletionAsync(id, Ct);

        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        Assert.Equal(
            [CreateMetabaseAccountStep.Id, AddUserToMetabaseGroupStep.Id, InviteToTeamsStep.Id, AddUserToTeamsChannelStep.Id,
                AddUserToSlackGroupStep.Id, AddUserToAtlassianGroupStep.Id, ShareDocumentationStep.Id],
            done.Steps.Select(s => s.Id));
        Assert.All(done.Steps, s => Assert.Equal(StepStatus.Skipped, s.Status));
        Assert.Equal("The org has no Slack user group.", done.GetStep(AddUserToSlackGroupStep.Id).Output!.Value.GetProperty("reason").GetString());
        Assert.Equal("ada@partner.example", done.GetStep(AddUserToSlackGroupStep.Id).Attempts.Single().Input!.Value.GetProperty("email").GetString());
    }

    [Fact]
    public async Task NewPartnerUser_OrgChangedAfterTheStart_StepsReadTheOrgAsItIsNow()
    {
        var directory = new Directory();
        directory.Orgs["org-1"] = new PartnerOrg { Id = "org-1", Name = "Acme" };
        await using var host = await StartAsync(directory);
        var started = Input(new PartnerOrg { Id = "org-1", Name = "Acme", SlackUserGroupId = "S0STALE" });

        var id = (await host.Client.StartAsync(PartnerOnboardingWorkflows.NewPartnerUser, started, cancellationToken: Ct)).ExecutionId;
        var done = await host.Client.WaitForCompletionAsync(id, Ct);

        // The execution's input still names a user group; the host's org no longer does, and the step reads the host's.
        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        var slack = done.GetStep(AddUserToSlackGroupStep.Id);
        Assert.Equal(StepStatus.Skipped, slack.Status);
        Assert.Equal(string.Empty, slack.Attempts.Single().Input!.Value.GetProperty("user_group_id").GetString());
        Assert.Empty(directory.Recorded);
    }

    [Fact]
    public async Task NewPartnerUser_SkipRulesOfAccountSteps_ReadTheOrgAtEachAttempt_SoFixingTheOrgThenRetrySeesTheFix()
    {
        // The execution's input says "no Metabase, no Teams"; the host's org has both, and no integration is configured.
        var directory = new Directory();
        directory.Orgs["org-1"] = new PartnerOrg { Id = "org-1", Name = "Acme", MetabaseGroupId = 3, TeamsTeamId = "team-1" };
        await using var host = await StartAsync(directory);

        var id = (await host.Client.StartAsync(PartnerOnboardingWorkflows.NewPartnerUser, Input(new PartnerOrg { Id = "org-1", Name = "Acme" }), cancellationToken: Ct)).ExecutionId;
        var failed = await host.Client.WaitForCompletionAsync(id, Ct);
        Assert.Equal(ExecutionStatus.Failed, failed.Status);
        Assert.Equal(CreateMetabaseAccountStep.Id, failed.CurrentStepId);
        Assert.Equal(StepErrorTypes.NotConfigured, failed.GetStep(CreateMetabaseAccountStep.Id).ErrorType);

        // Fix the org (it uses no Metabase), then Retry: the account step is skipped, and the Teams invitation runs.
        directory.Orgs["org-1"] = directory.Orgs["org-1"] with { MetabaseGroupId = null };
        await host.Client.RetryAsync(id, new OperatorAction("ops", "The org was fixed."), Ct);
        failed = await host.Client.WaitForCompletionAsync(id, Ct);
        Assert.Equal(ExecutionStatus.Failed, failed.Status);
        Assert.Equal(StepStatus.Skipped, failed.GetStep(CreateMetabaseAccountStep.Id).Status);
        Assert.Equal(InviteToTeamsStep.Id, failed.CurrentStepId);

        directory.Orgs["org-1"] = directory.Orgs["org-1"] with { TeamsTeamId = null };
        await host.Client.RetryAsync(id, new OperatorAction("ops", "The org was fixed."), Ct);
        var done = await host.Client.WaitForCompletionAsync(id, Ct);
        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        Assert.Equal("The org has no Microsoft Teams team id.", done.GetStep(InviteToTeamsStep.Id).Output!.Value.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task NewPartnerUser_OrgGoneFromTheHost_FailsPermanentlyNamingTheStepAndOrg()
    {
        var directory = new Directory();
        await using var host = await StartAsync(directory);

        var id = (await host.Client.StartAsync(PartnerOnboardingWorkflows.NewPartnerUser, Input(new PartnerOrg { Id = "org-9", Name = "Gone", MetabaseGroupId = 3 }), cancellationToken: Ct)).ExecutionId;
        var failed = await host.Client.WaitForCompletionAsync(id, Ct);

        Assert.Equal(ExecutionStatus.Failed, failed.Status);
        Assert.Equal(CreateMetabaseAccountStep.Id, failed.CurrentStepId);
        Assert.Contains("'org-9'", failed.Error, StringComparison.Ordinal);
        Assert.Contains($"'{CreateMetabaseAccountStep.Id}'", failed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemovePartnerUser_NoRecordedAccounts_EveryStepSkippedAndNothingIsCalled()
    {
        await using var host = await StartAsync();
        var org = new PartnerOrg { Name = "Acme", MetabaseGroupId = 3, TeamsTeamId = "team", SlackUserGroupId = "S1", AtlassianGroupId = "g" };

        var id = (await host.Client.StartAsync(PartnerOnboardingWorkflows.RemovePartnerUser, Input(org), cancellationToken: Ct)).ExecutionId;
        var done = await host.Client.WaitForCompletionAsync(id, Ct);

        // Unconfigured integrations would fail a step that ran: every one was skipped by the definition.
        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        Assert.All(done.Steps, s => Assert.Equal(StepStatus.Skipped, s.Status));
        Assert.Contains("no Slack user was recorded", done.GetStep(RemoveUserFromSlackGroupStep.Id).Output!.Value.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }
}
