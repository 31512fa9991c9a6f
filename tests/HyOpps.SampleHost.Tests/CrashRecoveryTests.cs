using System.Net;
using System.Net.Http.Json;
using HyOpps.SampleHost.Api;
using HyOpps.SampleHost.Domain;
using HyOpps.SampleHost.Starts;
using HyOpps.SampleHost.Workflows;
using HyOpps.TestUtilities;
using HyOpps.Workflows;
using static HyOpps.SampleHost.Tests.SampleTestHost;

namespace HyOpps.SampleHost.Tests;

/// <summary>
/// Issue 15: the sample host killed (by its crash hook) at each write boundary of adding and removing a user, then started again
/// on the same data folder. Each start both recovers the request the previous one died in and dies in the next request, so the
/// six points cost eight host starts.
/// </summary>
public sealed class CrashRecoveryTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AddUser_HostKilledAtEachWriteBoundary_NextStartLeavesThePersonWithOneExecutionThatCompletes()
    {
        var data = Directory.CreateTempSubdirectory("hyopps-crash-").FullName;
        try
        {
            string? orgId = null;
            string? previous = null;
            foreach (var point in new[] { CrashHook.AddAfterRecord, CrashHook.AddAfterStart, CrashHook.AddAfterLink, null })
            {
                await using var host = await SampleHostProcess.StartAsync(data, point);
                using var admin = host.Admin();
                orgId ??= await CreateOrgAsync(admin);
                if (previous is not null)
                {
                    await AssertOnboardedOnceAsync(host, admin, orgId, previous);
                }

                if (point is not null)
                {
                    previous = $"{point}@crash.example";
                    await host.CrashDuringAsync(c => c.PostAsJsonAsync("/api/users", AddBody(orgId, previous), Ct), point);
                }
            }
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task RemoveUser_HostKilledAtEachWriteBoundary_NextStartLeavesThePersonRemovedByOneExecution()
    {
        var data = Directory.CreateTempSubdirectory("hyopps-crash-").FullName;
        try
        {
            string? orgId = null;
            var users = new Queue<string>();
            string? previous = null;
            foreach (var point in new[] { CrashHook.RemoveAfterRecord, CrashHook.RemoveAfterStart, CrashHook.RemoveAfterLink, null })
            {
                await using var host = await SampleHostProcess.StartAsync(data, point);
                using var admin = host.Admin();
                if (orgId is null)
                {
                    orgId = await CreateOrgAsync(admin);
                    foreach (var n in Enumerable.Range(1, 3))
                    {
                        var added = await admin.PostAsJsonAsync("/api/users", AddBody(orgId, $"leaver{n}@crash.example"), Ct);
                        Assert.True(added.StatusCode == HttpStatusCode.Accepted, await added.Content.ReadAsStringAsync(Ct));
                        var started = (await added.Content.ReadFromJsonAsync<UserWorkflowResponse>(Json, Ct))!;
                        Assert.Equal(ExecutionStatus.Succeeded, (await SettledAsync(admin, started.ExecutionId)).Status);
                        users.Enqueue(started.User.Id);
                    }
                }

                if (previous is not null)
                {
                    await AssertRemovedOnceAsync(host, admin, orgId, previous);
                }

                if (point is not null)
                {
                    previous = users.Dequeue();
                    var id = previous;
                    await host.CrashDuringAsync(c => c.DeleteAsync($"/api/users/{id}", Ct), point);
                }
            }
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task AssertOnboardedOnceAsync(SampleHostProcess host, HttpClient admin, string orgId, string email)
    {
        // The request died after the person's record was committed: the next start gives them their execution within seconds.
        var user = await Eventually.UntilAsync(
            async () => (await admin.GetFromJsonAsync<List<UserResponse>>($"/api/users?org_id={orgId}", Json, Ct))!.SingleOrDefault(u => u.Email == email),
            u => u?.OnboardingExecutionId is not null,
            $"{email} linked to an onboarding\n{host.Output}",
            Bound);
        var execution = await SettledAsync(admin, user!.OnboardingExecutionId!);
        Assert.True(execution.Status == ExecutionStatus.Succeeded, $"{email}: {execution.Status}\n{host.Output}");
        Assert.Equal(PartnerUserStatus.Active, (await admin.GetFromJsonAsync<UserResponse>($"/api/users/{user.Id}", Json, Ct))!.Status);

        // The client, which never got an answer, sends the same request again: the same user and execution, not 409.
        using var retried = await admin.PostAsJsonAsync("/api/users", AddBody(orgId, email), Ct);
        Assert.True(retried.StatusCode == HttpStatusCode.Accepted, await retried.Content.ReadAsStringAsync(Ct));
        var again = (await retried.Content.ReadFromJsonAsync<UserWorkflowResponse>(Json, Ct))!;
        Assert.Equal(user.Id, again.User.Id);
        Assert.Equal(user.OnboardingExecutionId, again.ExecutionId);
        Assert.Equal(execution.Id, Assert.Single(await ExecutionsOfAsync(admin, orgId, PartnerWorkflowNames.NewPartnerUser, email)).Id);
    }

    private static async Task AssertRemovedOnceAsync(SampleHostProcess host, HttpClient admin, string orgId, string userId)
    {
        var user = await Eventually.UntilAsync(
            async () => (await admin.GetFromJsonAsync<UserResponse>($"/api/users/{userId}", Json, Ct))!,
            u => u.OffboardingExecutionId is not null,
            $"{userId} linked to a removal\n{host.Output}",
            Bound);
        Assert.Contains(user.Status, new[] { PartnerUserStatus.Offboarding, PartnerUserStatus.Removed });
        var execution = await SettledAsync(admin, user.OffboardingExecutionId!);
        Assert.True(execution.Status == ExecutionStatus.Succeeded, $"{user.Email}: {execution.Status}\n{host.Output}");
        Assert.Equal(PartnerUserStatus.Removed, (await admin.GetFromJsonAsync<UserResponse>($"/api/users/{userId}", Json, Ct))!.Status);

        using var retried = await admin.DeleteAsync($"/api/users/{userId}", Ct);
        Assert.Equal(HttpStatusCode.Conflict, retried.StatusCode);
        Assert.Equal(execution.Id, Assert.Single(await ExecutionsOfAsync(admin, orgId, PartnerWorkflowNames.RemovePartnerUser, user.Email)).Id);
        Assert.Single(await ExecutionsOfAsync(admin, orgId, PartnerWorkflowNames.NewPartnerUser, user.Email));
    }

    /// <summary>An org without integration ids (the simulators start empty each run) but with a documentation link, so the email is sent.</summary>
    private static async Task<string> CreateOrgAsync(HttpClient admin)
    {
        using var response = await admin.PostAsJsonAsync("/api/orgs", new
        {
            name = "Crash Partner",
            documentation_links = new[] { new { title = "Handbook", url = "https://docs.example.com/crash" } },
        }, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<OrgResponse>(Json, Ct))!.Id;
    }

    private static object AddBody(string orgId, string email) => new { org_id = orgId, email, first_name = "Crash", last_name = "Test" };

    private static async Task<ExecutionDetailResponse> SettledAsync(HttpClient admin, string executionId)
        => await Eventually.UntilAsync(
            async () => (await admin.GetFromJsonAsync<ExecutionDetailResponse>($"/api/executions/{executionId}", Json, Ct))!,
            e => e.Status is ExecutionStatus.Succeeded or ExecutionStatus.Failed or ExecutionStatus.Cancelled,
            $"execution {executionId} settled",
            Bound);

    private static async Task<List<ExecutionSummaryResponse>> ExecutionsOfAsync(HttpClient admin, string orgId, string workflow, string email)
    {
        var page = (await admin.GetFromJsonAsync<ExecutionListResponse>($"/api/executions?org_id={orgId}&workflow={workflow}&limit=100", Json, Ct))!;
        return page.Items.Where(e => e.Labels[PartnerWorkflowNames.EmailLabel] == email).ToList();
    }
}
