using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HyOpps.Onboarding;
using HyOpps.SampleHost.Api;
using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Domain;
using HyOpps.SampleHost.Starts;
using HyOpps.SampleHost.Workflows;
using HyOpps.TestUtilities;
using HyOpps.Workflows;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static HyOpps.SampleHost.Tests.SampleTestHost;

namespace HyOpps.SampleHost.Tests;

/// <summary>
/// Issue 15: a user record and its workflow start stay consistent. Each test writes the state a host leaves when it stops between
/// committing the record (with its pending start) and starting the workflow, then lets the reconciler or a repeated request finish.
/// </summary>
public sealed class PendingStartTests
{
    // The host's own reconciler passes once at start-up, then only after an hour: the tests drive it.
    private static readonly Dictionary<string, string?> Settings = new() { [$"{PendingStartOptions.Section}:ReconcileInterval"] = "01:00:00" };

    [Fact]
    public async Task Reconcile_OnboardingRecordedButNotStarted_StartsItOnceAndLinksTheUser()
    {
        await using var host = await StartAsync(settings: Settings);
        var org = await host.DemoOrgAsync();
        var recorded = await RecordOnboardingAsync(host, org, "stranded@partner.example");
        Assert.Null((await host.GetUserAsync(recorded.User.Id)).OnboardingExecutionId);

        var reconciler = host.Services.GetRequiredService<PendingStartReconciler>();
        Assert.Equal(1, await reconciler.ReconcileAsync(Later(host), Ct));

        var user = await host.GetUserAsync(recorded.User.Id);
        var execution = await host.WaitAsync(user.OnboardingExecutionId!);
        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.Equal($"{org.Id}:stranded@partner.example", execution.IdempotencyKey);
        Assert.Equal("stranded@partner.example", execution.Labels[PartnerWorkflowNames.EmailLabel]);
        Assert.Equal(PartnerUserStatus.Active, (await host.GetUserAsync(user.Id)).Status);
        Assert.Null(await Users(host).GetPendingStartAsync(user.Id, PartnerWorkflowNames.NewPartnerUser, Ct));

        // Twice is harmless: nothing is pending any more, and running the same start again finds the same execution.
        Assert.Equal(0, await reconciler.ReconcileAsync(Later(host), Ct));
        Assert.Equal(execution.Id, await host.Services.GetRequiredService<PendingStartRunner>().RunAsync(recorded.Start!, Ct));
        Assert.Equal(execution.Id, Assert.Single(await OnboardingsAsync(host, "stranded@partner.example")).Id);
    }

    [Fact]
    public async Task Reconcile_StartWrittenAfterTheCutoff_IsLeftToItsRequest()
    {
        await using var host = await StartAsync(settings: Settings);
        var org = await host.DemoOrgAsync();
        var before = host.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var recorded = await RecordOnboardingAsync(host, org, "in-flight@partner.example");

        Assert.Equal(0, await host.Services.GetRequiredService<PendingStartReconciler>().ReconcileAsync(before, Ct));

        Assert.NotNull(await Users(host).GetPendingStartAsync(recorded.User.Id, PartnerWorkflowNames.NewPartnerUser, Ct));
        Assert.Empty(await OnboardingsAsync(host, "in-flight@partner.example"));
    }

    [Fact]
    public async Task AddUser_SameRequestWhileItsStartIsPending_StartsItAndAnswers202NotConflict()
    {
        await using var host = await StartAsync(settings: Settings);
        var org = await host.DemoOrgAsync();
        var recorded = await RecordOnboardingAsync(host, org, "retry@partner.example", "Retry", "Person");
        using var admin = host.Admin();

        // Another request for the same person (other names) is still a conflict, and starts nothing.
        using var other = await admin.PostAsJsonAsync("/api/users", new { org_id = org.Id, email = "retry@partner.example", first_name = "Other", last_name = "Person" }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Empty(await OnboardingsAsync(host, "retry@partner.example"));

        var retried = await host.AddUserAsync(admin, org.Id, "Retry@Partner.example", "Retry", "Person");

        Assert.Equal(recorded.User.Id, retried.User.Id);
        Assert.Equal(retried.ExecutionId, retried.User.OnboardingExecutionId);
        Assert.Equal(ExecutionStatus.Succeeded, (await host.WaitAsync(retried.ExecutionId)).Status);
        Assert.Equal(retried.ExecutionId, Assert.Single(await OnboardingsAsync(host, "retry@partner.example")).Id);
        Assert.Null(await Users(host).GetPendingStartAsync(recorded.User.Id, PartnerWorkflowNames.NewPartnerUser, Ct));
        Assert.Equal(0, await host.Services.GetRequiredService<PendingStartReconciler>().ReconcileAsync(Later(host), Ct));
    }

    [Fact]
    public async Task AddUser_SameRequestAfterItsOnboardingCompleted_Answers202WithTheSameExecution()
    {
        await using var host = await StartAsync(settings: Settings);
        var org = await host.DemoOrgAsync();
        using var admin = host.Admin();
        var first = await host.AddUserAsync(admin, org.Id, "twice@partner.example", "Twice", "Sent");
        Assert.Equal(ExecutionStatus.Succeeded, (await host.WaitAsync(first.ExecutionId)).Status);

        var again = await host.AddUserAsync(admin, org.Id, "twice@partner.example", "Twice", "Sent");

        Assert.Equal(first.User.Id, again.User.Id);
        Assert.Equal(first.ExecutionId, again.ExecutionId);
        Assert.Equal(PartnerUserStatus.Active, again.User.Status);
        Assert.Single(await OnboardingsAsync(host, "twice@partner.example"));
    }

    [Fact]
    public async Task RemoveUser_RemovalRecordedButNotStarted_RepeatedDeleteStartsItOnce()
    {
        await using var host = await StartAsync(settings: Settings);
        var org = await host.DemoOrgAsync();
        using var admin = host.Admin();
        var added = await host.AddUserAsync(admin, org.Id, "leaving@partner.example", "Leaving", "Soon");
        Assert.Equal(ExecutionStatus.Succeeded, (await host.WaitAsync(added.ExecutionId)).Status);
        var recorded = (await Users(host).BeginOffboardingAsync(added.User.Id, before => Start(before, PartnerWorkflowNames.RemovePartnerUser, $"remove:{org.Id}:{before.NormalizedEmail}:{before.Generation}", org), Ct))!;
        Assert.Equal(PartnerUserStatus.Offboarding, (await host.GetUserAsync(added.User.Id)).Status);

        using var response = await admin.DeleteAsync($"/api/users/{added.User.Id}", Ct);

        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(Ct));
        var removal = (await response.Content.ReadFromJsonAsync<UserWorkflowResponse>(Json, Ct))!;
        Assert.Equal(PartnerWorkflowNames.RemovePartnerUser, removal.WorkflowName);
        Assert.Equal(ExecutionStatus.Succeeded, (await host.WaitAsync(removal.ExecutionId)).Status);
        Assert.Equal(recorded.Start!.IdempotencyKey, (await host.Workflows.GetAsync(removal.ExecutionId, Ct))!.IdempotencyKey);
        var user = await host.GetUserAsync(added.User.Id);
        Assert.Equal(PartnerUserStatus.Removed, user.Status);
        Assert.Equal(removal.ExecutionId, user.OffboardingExecutionId);
        Assert.Equal(0, await host.Services.GetRequiredService<PendingStartReconciler>().ReconcileAsync(Later(host), Ct));
        Assert.Single((await host.Workflows.ListAsync(new ExecutionQuery { WorkflowName = PartnerWorkflowNames.RemovePartnerUser }, Ct)).Items);
    }

    [Fact]
    public async Task Reconcile_RemovalRecordedWhileTheOnboardingWasStillPending_StartsBothInOrderAndEndsRemoved()
    {
        await using var host = await StartAsync(settings: Settings);
        var org = await host.DemoOrgAsync();
        var onboarding = await RecordOnboardingAsync(host, org, "brief@partner.example");
        await Users(host).BeginOffboardingAsync(onboarding.User.Id, before => Start(before, PartnerWorkflowNames.RemovePartnerUser, $"remove:{org.Id}:{before.NormalizedEmail}:{before.Generation}", org), Ct);

        // Both starts are pending; the removal is the newer, but it must not leave the onboarding to start after it.
        var removal = (await Users(host).GetPendingStartAsync(onboarding.User.Id, PartnerWorkflowNames.RemovePartnerUser, Ct))!;
        var removalId = await host.Services.GetRequiredService<PendingStartRunner>().RunAsync(removal, Ct);

        var user = await host.GetUserAsync(onboarding.User.Id);
        Assert.NotNull(user.OnboardingExecutionId);
        Assert.Null(await Users(host).GetPendingStartAsync(user.Id, PartnerWorkflowNames.NewPartnerUser, Ct));
        Assert.Equal(ExecutionStatus.Succeeded, (await host.WaitAsync(removalId)).Status);
        Assert.NotEqual(ExecutionStatus.Running, (await host.WaitAsync(user.OnboardingExecutionId!)).Status);
        Assert.Equal(PartnerUserStatus.Removed, (await host.GetUserAsync(user.Id)).Status);
        Assert.Equal(0, await host.Services.GetRequiredService<PendingStartReconciler>().ReconcileAsync(Later(host), Ct));
    }

    [Fact]
    public async Task Reconciler_RunsAtStartAndThenEveryIntervalOfItsTimeProvider()
    {
        await using var host = await StartAsync(settings: Settings);
        var org = await host.DemoOrgAsync();
        var early = await RecordOnboardingAsync(host, org, "early@partner.example");
        var time = new FakeTimeProvider(Later(host) + TimeSpan.FromMinutes(1));
        using var reconciler = new PendingStartReconciler(
            Users(host), host.Services.GetRequiredService<PendingStartRunner>(),
            Options.Create(new PendingStartOptions { ReconcileInterval = TimeSpan.FromMinutes(5) }), time, NullLogger<PendingStartReconciler>.Instance);
        await reconciler.StartAsync(Ct);
        try
        {
            await Eventually.UntilAsync(() => host.GetUserAsync(early.User.Id), u => u.OnboardingExecutionId is not null, "the start-up pass");
            var late = await RecordOnboardingAsync(host, org, "late@partner.example");

            // One interval on its clock, once: its timer ticks from the start, even if the first pass is still finishing.
            time.Advance(TimeSpan.FromMinutes(5));
            await Eventually.UntilAsync(() => host.GetUserAsync(late.User.Id), u => u.OnboardingExecutionId is not null, "a pass one interval later");
        }
        finally
        {
            await reconciler.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public void CrashHook_UnknownPoint_FailsNamingTheKeyAndThePoints()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(CrashHook.ConfigurationKey, "somewhere")]).Build();

        var ex = Assert.Throws<InvalidOperationException>(() => CrashHook.From(configuration, SampleHostSettings.From(new ConfigurationBuilder().Build(), "Development")));

        Assert.Contains(CrashHook.ConfigurationKey, ex.Message, StringComparison.Ordinal);
        Assert.Contains(CrashHook.AddAfterRecord, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_CrashHookWithRealServices_FailsNamingTheKey()
    {
        var data = Directory.CreateTempSubdirectory("hyopps-real-").FullName;
        try
        {
            var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(settings: new Dictionary<string, string?>
            {
                ["HyOpps:Sandbox"] = "false",
                ["HyOpps:DataDirectory"] = data,
                [CrashHook.ConfigurationKey] = CrashHook.AddAfterRecord,
            }));

            Assert.Contains($"{CrashHook.ConfigurationKey} is a test hook", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Start_ReconcileIntervalNotPositive_FailsNamingTheKey()
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync(settings: new Dictionary<string, string?>
        {
            [$"{PendingStartOptions.Section}:ReconcileInterval"] = "00:00:00",
        }));

        Assert.Contains($"{PendingStartOptions.Section}:ReconcileInterval", ex.ToString(), StringComparison.Ordinal);
    }

    private static PartnerUserStore Users(SampleTestHost host) => host.Services.GetRequiredService<PartnerUserStore>();

    /// <summary>A moment after everything written so far.</summary>
    private static DateTimeOffset Later(SampleTestHost host) => host.Services.GetRequiredService<TimeProvider>().GetUtcNow() + TimeSpan.FromSeconds(1);

    /// <summary>What POST /api/users commits before it starts the workflow: the record and its pending start.</summary>
    private static async Task<RecordedStart> RecordOnboardingAsync(SampleTestHost host, OrgRecord org, string email, string firstName = "Stranded", string lastName = "Person")
    {
        var recorded = await Users(host).RecordOnboardingAsync(org.Id, email, email, firstName, lastName,
            user => Start(user, PartnerWorkflowNames.NewPartnerUser, $"{org.Id}:{email}", org, email), Ct);
        return Assert.IsType<RecordedStart>(recorded);
    }

    private static PendingStart Start(PartnerUserRecord user, string workflow, string key, OrgRecord org, string? email = null) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        UserId = user.Id,
        Generation = user.Generation,
        WorkflowName = workflow,
        IdempotencyKey = key,
        Input = JsonSerializer.Serialize(
            new PartnerOnboardingInput { Org = org.ToPartnerOrg(), User = new PartnerUser { Email = email ?? user.Email, FirstName = user.FirstName, LastName = user.LastName } },
            HyOppsJson.SerializerOptions),
        Labels = PartnerUserService.Labels(org.Id, user.NormalizedEmail),
        Actor = "test",
        CreatedAt = TimeProvider.System.GetUtcNow(),
    };

    private static async Task<IReadOnlyList<ExecutionSummary>> OnboardingsAsync(SampleTestHost host, string email)
        => (await host.Workflows.ListAsync(new ExecutionQuery
        {
            WorkflowName = PartnerWorkflowNames.NewPartnerUser,
            Labels = new Dictionary<string, string> { [PartnerWorkflowNames.EmailLabel] = email },
        }, Ct)).Items;
}
