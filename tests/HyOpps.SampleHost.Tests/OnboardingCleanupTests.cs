using System.Net;
using System.Net.Http.Json;
using HyOpps.SampleHost.Api;
using HyOpps.SampleHost.Cleanup;
using HyOpps.SampleHost.Domain;
using HyOpps.SampleHost.Workflows;
using HyOpps.Workflows;
using HyOpps.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using static HyOpps.SampleHost.Tests.SampleTestHost;

namespace HyOpps.SampleHost.Tests;

/// <summary>An onboarding cancelled or failed for good after creating accounts: the host starts remove_partner_user for the person.</summary>
public sealed class OnboardingCleanupTests
{
    // The background pass runs at start-up and then sleeps, so that the test's own passes are the only ones.
    private static readonly Dictionary<string, string?> ManualPasses = new() { [$"{OnboardingCleanupOptions.Section}:Interval"] = "01:00:00" };

    [Fact]
    public async Task CancelMidFlow_AfterMetabaseAndTeams_RemovalRunsOnceAndTheAccountsAreGone()
    {
        await using var host = await StartAsync(settings: ManualPasses);
        var org = await host.DemoOrgAsync();
        using var admin = host.Admin();
        var atSlack = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Sandbox.Slack.BeforeMethod = async (method, cancellationToken) =>
        {
            if (method == "users.lookupByEmail")
            {
                // Step 7 holds here until the cancel aborts it: Metabase and Teams are done, Slack and Atlassian are not.
                atSlack.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
        };
        var started = await host.AddUserAsync(admin, org.Id, "grace@partner.example", "Grace", "Hopper");
        await atSlack.Task.WaitAsync(TimeSpan.FromSeconds(60), Ct);
        var onboarded = await host.GetUserAsync(started.User.Id);
        Assert.NotNull(onboarded.MetabaseUserId);
        Assert.NotNull(onboarded.TeamsUserId);
        Assert.Contains(org.MetabaseGroupId!.Value, host.Sandbox.Metabase.GetGroupIdsOfUser(onboarded.MetabaseUserId!.Value));
        Assert.Contains(host.Sandbox.Graph.GetTeamMembers(org.TeamsTeamId!), m => m.UserId == onboarded.TeamsUserId);

        using var cancel = await admin.PostAsJsonAsync($"/api/executions/{started.ExecutionId}/cancel", new { reason = "wrong person" }, Ct);
        Assert.True(cancel.IsSuccessStatusCode, await cancel.Content.ReadAsStringAsync(Ct));
        host.Sandbox.Slack.BeforeMethod = null;
        Assert.Equal(ExecutionStatus.Cancelled, (await host.WaitAsync(started.ExecutionId)).Status);
        var cleanup = host.Services.GetRequiredService<OnboardingCleanup>();

        Assert.Equal(1, await cleanup.SweepAsync(Ct));
        Assert.Equal(0, await cleanup.SweepAsync(Ct));
        var cutShort = await host.GetUserAsync(started.User.Id);
        Assert.Equal(CutShortReasons.Cancelled, cutShort.OnboardingCutShort?.Reason);
        Assert.True(cutShort.OnboardingCutShort!.RemovalStarted);
        var removal = await host.WaitAsync(cutShort.OffboardingExecutionId!);

        Assert.Equal(PartnerWorkflowNames.RemovePartnerUser, removal.WorkflowName);
        Assert.Equal(ExecutionStatus.Succeeded, removal.Status);
        Assert.Single((await host.Workflows.ListAsync(new ExecutionQuery { WorkflowName = PartnerWorkflowNames.RemovePartnerUser }, Ct)).Items);
        Assert.False(host.Sandbox.Metabase.GetUser(onboarded.MetabaseUserId.Value)!.IsActive);
        Assert.DoesNotContain(org.MetabaseGroupId.Value, host.Sandbox.Metabase.GetGroupIdsOfUser(onboarded.MetabaseUserId.Value));
        Assert.DoesNotContain(host.Sandbox.Graph.GetTeamMembers(org.TeamsTeamId!), m => m.UserId == onboarded.TeamsUserId);
        Assert.Equal(StepStatus.Skipped, removal.GetStep(PartnerWorkflowNames.RemoveUserFromSlackGroup).Status);
        var removed = await host.GetUserAsync(started.User.Id);
        Assert.Equal(PartnerUserStatus.Removed, removed.Status);
        Assert.Equal(CutShortReasons.Cancelled, removed.OnboardingCutShort?.Reason);

        // The org page says so under the user's status.
        var page = await admin.GetStringAsync($"/orgs/{org.Id}", Ct);
        Assert.Contains("data-testid=\"cut-short\" data-reason=\"cancelled\"", page, StringComparison.Ordinal);
        Assert.Contains("a removal of the accounts it created was started", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelledBeforeAnyAccount_MarksTheUserRemovedWithoutARemoval_AndTheyCanBeAddedAgain()
    {
        await using var host = await StartAsync(settings: ManualPasses);
        var org = await host.DemoOrgAsync();
        using var admin = host.Admin();
        var scheduled = await AddScheduledUserAsync(admin, org.Id, "later@partner.example");
        using var cancel = await admin.PostAsJsonAsync($"/api/executions/{scheduled.ExecutionId}/cancel", new { }, Ct);
        Assert.True(cancel.IsSuccessStatusCode, await cancel.Content.ReadAsStringAsync(Ct));

        Assert.Equal(1, await host.Services.GetRequiredService<OnboardingCleanup>().SweepAsync(Ct));

        var user = await host.GetUserAsync(scheduled.User.Id);
        Assert.Equal(PartnerUserStatus.Removed, user.Status);
        Assert.Null(user.OffboardingExecutionId);
        Assert.False(user.OnboardingCutShort!.RemovalStarted);
        Assert.Empty((await host.Workflows.ListAsync(new ExecutionQuery { WorkflowName = PartnerWorkflowNames.RemovePartnerUser }, Ct)).Items);
        var again = await host.AddUserAsync(admin, org.Id, "later@partner.example", "Later", "Person");
        Assert.Null(again.User.OnboardingCutShort);
        Assert.Equal(ExecutionStatus.Succeeded, (await host.WaitAsync(again.ExecutionId)).Status);
    }

    [Fact]
    public async Task FailedForGood_TheBackgroundServiceStartsTheRemoval()
    {
        await using var host = await StartAsync(settings: new Dictionary<string, string?>
        {
            [$"{OnboardingCleanupOptions.Section}:Interval"] = "00:00:00.200",
            [$"{OnboardingCleanupOptions.Section}:FailedGracePeriod"] = "00:00:00",
        });
        var org = await host.DemoOrgAsync();
        using var admin = host.Admin();

        // Slack refuses the bot: step 7 fails permanently after Metabase and Teams are done.
        host.Sandbox.Slack.RevokeToken(host.Sandbox.Slack.BotToken);
        var started = await host.AddUserAsync(admin, org.Id, "barbara@partner.example", "Barbara", "Liskov");
        Assert.Equal(ExecutionStatus.Failed, (await host.WaitAsync(started.ExecutionId)).Status);

        var user = await WaitForUserAsync(host, started.User.Id, u => u.OffboardingExecutionId is not null);
        Assert.Equal(CutShortReasons.Failed, user.OnboardingCutShort?.Reason);
        var removal = await host.WaitAsync(user.OffboardingExecutionId!);
        Assert.Equal(ExecutionStatus.Succeeded, removal.Status);
        Assert.Equal(OnboardingCleanup.ActorName, removal.Audit[0].Actor);
        Assert.False(host.Sandbox.Metabase.GetUser(user.MetabaseUserId!.Value)!.IsActive);
        Assert.DoesNotContain(host.Sandbox.Graph.GetTeamMembers(org.TeamsTeamId!), m => m.UserId == user.TeamsUserId);
        Assert.Equal(PartnerUserStatus.Removed, (await host.GetUserAsync(started.User.Id)).Status);
    }

    [Fact]
    public async Task HostStoppedAfterRecordingTheCleanup_TheReconcilerStartsTheRemoval_AndNoPassStartsASecond()
    {
        // No grace: a pass would clean this failed onboarding up, were its clean-up not recorded already.
        await using var host = await StartAsync(settings: new Dictionary<string, string?>(ManualPasses) { [$"{OnboardingCleanupOptions.Section}:FailedGracePeriod"] = "00:00:00" });
        var org = await host.DemoOrgAsync();
        using var admin = host.Admin();
        host.Sandbox.Slack.RevokeToken(host.Sandbox.Slack.BotToken);
        var started = await host.AddUserAsync(admin, org.Id, "frances@partner.example", "Frances", "Allen");
        Assert.Equal(ExecutionStatus.Failed, (await host.WaitAsync(started.ExecutionId)).Status);
        var users = host.Services.GetRequiredService<Data.PartnerUserStore>();
        var before = (await users.GetAsync(started.User.Id, Ct))!;
        var service = host.Services.GetRequiredService<PartnerUserService>();

        // The transaction a pass commits before it starts the removal, as if the host had stopped right after it.
        var orgRecord = (await host.Services.GetRequiredService<Data.OrgStore>().GetAsync(org.Id, Ct))!;
        var recorded = await users.CutShortOnboardingAsync(before, CutShortReasons.Failed, b => service.RemovalStart(orgRecord, b, OnboardingCleanup.ActorName), Ct);
        Assert.NotNull(recorded?.Start);
        Assert.Null(await users.CutShortOnboardingAsync(before, CutShortReasons.Failed, b => service.RemovalStart(orgRecord, b, OnboardingCleanup.ActorName), Ct));
        Assert.Equal(0, await host.Services.GetRequiredService<OnboardingCleanup>().SweepAsync(Ct));

        Assert.Equal(1, await host.Services.GetRequiredService<Starts.PendingStartReconciler>().ReconcileAsync(DateTimeOffset.MaxValue, Ct));
        var user = await host.GetUserAsync(started.User.Id);
        Assert.Equal(ExecutionStatus.Succeeded, (await host.WaitAsync(user.OffboardingExecutionId!)).Status);
        Assert.Single((await host.Workflows.ListAsync(new ExecutionQuery { WorkflowName = PartnerWorkflowNames.RemovePartnerUser }, Ct)).Items);
        Assert.False(host.Sandbox.Metabase.GetUser(user.MetabaseUserId!.Value)!.IsActive);
    }

    [Fact]
    public async Task Sweep_ManyOnboardingsStillScheduled_ReadsTheRowsInBatches_NotOneDetailPerUser()
    {
        await using var host = await StartAsync(settings: ManualPasses);
        var org = await host.DemoOrgAsync();
        using var admin = host.Admin();
        var scheduled = new List<UserWorkflowResponse>();
        for (var i = 0; i < 7; i++)
        {
            scheduled.Add(await AddScheduledUserAsync(admin, org.Id, $"later{i}@partner.example"));
        }

        // The last one in the pass's order (oldest first) is cancelled: a pass that stopped at a page would miss it.
        var cancelledId = scheduled[^1].ExecutionId;
        using var cancel = await admin.PostAsJsonAsync($"/api/executions/{cancelledId}/cancel", new { }, Ct);
        Assert.True(cancel.IsSuccessStatusCode, await cancel.Content.ReadAsStringAsync(Ct));
#pragma warning disable HYOPPS0001 // The store seam, substituted to count what a pass reads.
        var real = host.Services.GetRequiredService<IWorkflowStore>();
        var store = Substitute.For<IWorkflowStore>();
        var batches = new List<IReadOnlyList<string>>();
        store.GetExecutionRecordsAsync(Arg.Any<IReadOnlyList<string>>(), Arg.Any<CancellationToken>())
            .Returns(call =>
            {
                batches.Add([.. call.ArgAt<IReadOnlyList<string>>(0)]);
                return real.GetExecutionRecordsAsync(call.ArgAt<IReadOnlyList<string>>(0), call.ArgAt<CancellationToken>(1));
            });
        store.GetExecutionRecordAsync(Arg.Any<string>(), Arg.Any<CancellationToken>())
            .Returns(call => real.GetExecutionRecordAsync(call.ArgAt<string>(0), call.ArgAt<CancellationToken>(1)));
        using var cleanup = ActivatorUtilities.CreateInstance<OnboardingCleanup>(host.Services, store);
        cleanup.BatchSize = 3;
        Assert.Equal(7, (await host.Services.GetRequiredService<Data.PartnerUserStore>().ListLinkedOnboardingsAsync(Ct)).Count);

        Assert.Equal(1, await cleanup.SweepAsync(Ct));

        // Three batch reads for seven users, every execution in one of them, and one row read again: the one cleaned up.
        Assert.Equal([3, 3, 1], batches.Select(b => b.Count));
        Assert.Equal(scheduled.Select(s => s.ExecutionId).Order(StringComparer.Ordinal), batches.SelectMany(b => b).Order(StringComparer.Ordinal));
        Assert.Equal(4, store.ReceivedCalls().Count());
        await store.Received(1).GetExecutionRecordAsync(cancelledId, Arg.Any<CancellationToken>());
        await store.DidNotReceiveWithAnyArgs().GetExecutionAsync(default!, Ct);
#pragma warning restore HYOPPS0001
        Assert.Equal(PartnerUserStatus.Removed, (await host.GetUserAsync(scheduled[^1].User.Id)).Status);
        foreach (var waiting in scheduled.SkipLast(1))
        {
            Assert.Equal(PartnerUserStatus.Onboarding, (await host.GetUserAsync(waiting.User.Id)).Status);
        }

        // The next pass reads the six left in two batches and changes nothing.
        batches.Clear();
        Assert.Equal(0, await cleanup.SweepAsync(Ct));
        Assert.Equal([3, 3], batches.Select(b => b.Count));
    }

    [Fact]
    public async Task Sweep_FailedOnboarding_LeftAloneWithinTheGracePeriod_CleanedUpOnceItIsOver()
    {
        await using var host = await StartAsync(settings: ManualPasses);
        var org = await host.DemoOrgAsync();
        using var admin = host.Admin();
        host.Sandbox.Slack.RevokeToken(host.Sandbox.Slack.BotToken);
        var started = await host.AddUserAsync(admin, org.Id, "edsger@partner.example", "Edsger", "Dijkstra");
        var failed = await host.WaitAsync(started.ExecutionId);
        Assert.Equal(ExecutionStatus.Failed, failed.Status);
        var grace = TimeSpan.FromHours(1);
        var time = new FakeTimeProvider((failed.CompletedAt ?? failed.UpdatedAt) + grace - TimeSpan.FromTicks(1));
        using var cleanup = ActivatorUtilities.CreateInstance<OnboardingCleanup>(
            host.Services, time, Options.Create(new OnboardingCleanupOptions { FailedGracePeriod = grace }));

        Assert.Equal(0, await cleanup.SweepAsync(Ct));
        var waiting = await host.GetUserAsync(started.User.Id);
        Assert.Equal(PartnerUserStatus.Onboarding, waiting.Status);
        Assert.Null(waiting.OnboardingCutShort);
        Assert.Empty((await host.Workflows.ListAsync(new ExecutionQuery { WorkflowName = PartnerWorkflowNames.RemovePartnerUser }, Ct)).Items);

        time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(1, await cleanup.SweepAsync(Ct));
        var cutShort = await host.GetUserAsync(started.User.Id);
        Assert.Equal(CutShortReasons.Failed, cutShort.OnboardingCutShort?.Reason);
        Assert.True(cutShort.OnboardingCutShort!.RemovalStarted);
        Assert.Equal(ExecutionStatus.Succeeded, (await host.WaitAsync(cutShort.OffboardingExecutionId!)).Status);
        Assert.Equal(PartnerUserStatus.Removed, (await host.GetUserAsync(started.User.Id)).Status);
    }

    private static async Task<UserWorkflowResponse> AddScheduledUserAsync(HttpClient admin, string orgId, string email)
    {
        using var response = await admin.PostAsJsonAsync("/api/users", new
        {
            org_id = orgId, email, first_name = "Later", last_name = "Person",
            start_at = DateTimeOffset.UtcNow.AddDays(7).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<UserWorkflowResponse>(Json, Ct))!;
    }

    private static async Task<UserResponse> WaitForUserAsync(SampleTestHost host, string id, Func<UserResponse, bool> until)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            var user = await host.GetUserAsync(id);
            if (until(user))
            {
                return user;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
        }
    }
}
