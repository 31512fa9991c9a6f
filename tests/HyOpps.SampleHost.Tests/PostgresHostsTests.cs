using System.Net;
using System.Net.Http.Json;
using HyOpps.Integrations.Teams;
using HyOpps.SampleHost.Api;
using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Domain;
using HyOpps.SampleHost.Sandbox;
using HyOpps.SampleHost.Starts;
using HyOpps.SampleHost.Workflows;
using HyOpps.TestUtilities.Postgres;
using HyOpps.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static HyOpps.SampleHost.Tests.SampleTestHost;

namespace HyOpps.SampleHost.Tests;

/// <summary>
/// Issue 18: two sample hosts on one PostgreSQL database, as behind one address: what one host writes the other serves, their
/// onboardings into one Slack user group lose nobody, and a start one host recorded but did not make, the other makes.
/// </summary>
/// <remarks>Host A runs the sandbox simulators; host B is pointed at them as at real services.</remarks>
public sealed class PostgresHostsTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task TwoHosts_OneDatabase_ServeTheSameOrgsUsersAndAccounts()
    {
        var (a, b) = await StartHostsAsync();
        await using var hostA = a;
        await using var hostB = b;

        // The admin API key host A seeded works on host B: accounts are shared.
        var org = await hostA.CreateOrgAsync("Shared Org");
        using var adminB = hostB.Admin();
        var seen = await adminB.GetFromJsonAsync<OrgResponse>($"/api/orgs/{org.Id}", Json, Ct);
        Assert.Equal("Shared Org", seen!.Name);
        Assert.Equal(org.SlackUserGroupId, seen.SlackUserGroupId);

        // A name taken on one host is taken on the other.
        using var duplicate = await adminB.PostAsJsonAsync("/api/orgs", new { name = "shared org" }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);

        using var adminA = hostA.Admin();
        var added = await hostB.AddUserAsync(adminB, org.Id, "ada@shared.example");
        Assert.Equal(ExecutionStatus.Succeeded, (await hostA.WaitAsync(added.ExecutionId)).Status);
        var onA = await hostA.GetUserAsync(added.User.Id);
        Assert.Equal(PartnerUserStatus.Active, onA.Status);
        Assert.Equal(added.ExecutionId, onA.OnboardingExecutionId);

        // The same person again, through the other host: one person, one onboarding.
        using var again = await adminA.PostAsJsonAsync("/api/users", new { org_id = org.Id, email = "ada@shared.example", first_name = "Ada", last_name = "Other" }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task TwoHosts_OnboardIntoOneSlackGroupWithSlowWrites_NobodyIsLost()
    {
        var (a, b) = await StartHostsAsync();
        await using var hostA = a;
        await using var hostB = b;
        var slack = hostA.Sandbox.Slack;
        var org = await hostA.CreateOrgAsync("Slack Org");
        var earlier = slack.GetUserGroupMembers(org.SlackUserGroupId!);

        // Every write of the member list is slow, so that writes based on one read would overlap and lose people.
        slack.BeforeMethod = (method, cancellationToken) => method == "usergroups.users.update"
            ? new ValueTask(Task.Delay(TimeSpan.FromMilliseconds(150), cancellationToken))
            : ValueTask.CompletedTask;
        using var adminA = hostA.Admin();
        using var adminB = hostB.Admin();
        var started = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => i % 2 == 0
            ? hostA.AddUserAsync(adminA, org.Id, $"person{i}@slack.example")
            : hostB.AddUserAsync(adminB, org.Id, $"person{i}@slack.example")));
        var executions = await Task.WhenAll(started.Select(s => hostA.WaitAsync(s.ExecutionId)));

        Assert.All(executions, e => Assert.Equal(ExecutionStatus.Succeeded, e.Status));
        var slackIds = executions.Select(e => e.GetStep(PartnerWorkflowNames.AddUserToSlackGroup).Output!.Value.GetProperty("slack_user_id").GetString()!);
        Assert.Equal(earlier.Concat(slackIds).Order(StringComparer.Ordinal), slack.GetUserGroupMembers(org.SlackUserGroupId!).Order(StringComparer.Ordinal));
        var users = await adminB.GetFromJsonAsync<List<UserResponse>>($"/api/users?org_id={org.Id}", Json, Ct);
        Assert.Equal(6, users!.Count(u => u.Status == PartnerUserStatus.Active));
        var workers = await WorkersAsync(hostA);
        Assert.Contains("host-a", workers);
        Assert.Contains("host-b", workers);
    }

    [Fact]
    public async Task PendingStartRecordedOnOneHost_IsStartedByTheOthersReconciler()
    {
        var (a, b) = await StartHostsAsync();
        await using var hostA = a;
        await using var hostB = b;
        var org = await hostA.DemoOrgAsync();

        // What host A commits before it starts the workflow, as if it stopped right after.
        var recorded = (await hostA.Services.GetRequiredService<PartnerUserStore>().RecordOnboardingAsync(org.Id, "stranded@partner.example", "stranded@partner.example",
            "Stranded", "Person", user => new PendingStart
            {
                Id = Guid.NewGuid().ToString("N"),
                UserId = user.Id,
                Generation = user.Generation,
                WorkflowName = PartnerWorkflowNames.NewPartnerUser,
                IdempotencyKey = $"{org.Id}:stranded@partner.example",
                Input = System.Text.Json.JsonSerializer.Serialize(
                    new Onboarding.PartnerOnboardingInput
                    {
                        Org = org.ToPartnerOrg(),
                        User = new Onboarding.PartnerUser { Email = "stranded@partner.example", FirstName = "Stranded", LastName = "Person" },
                    },
                    HyOppsJson.SerializerOptions),
                Labels = PartnerUserService.Labels(org.Id, user.NormalizedEmail),
                Actor = "test",
                CreatedAt = TimeProvider.System.GetUtcNow(),
            }, Ct))!;

        var later = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(1);
        Assert.Equal(1, await hostB.Services.GetRequiredService<PendingStartReconciler>().ReconcileAsync(later, Ct));
        Assert.Equal(0, await hostA.Services.GetRequiredService<PendingStartReconciler>().ReconcileAsync(later, Ct));

        var user = await hostA.GetUserAsync(recorded.User.Id);
        Assert.NotNull(user.OnboardingExecutionId);
        Assert.Equal(ExecutionStatus.Succeeded, (await hostA.WaitAsync(user.OnboardingExecutionId)).Status);
        Assert.Equal(PartnerUserStatus.Active, (await hostB.GetUserAsync(user.Id)).Status);
    }

    [Fact]
    public async Task StorageSetting_Unknown_FailsAtStartNamingIt()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(settings: new Dictionary<string, string?> { ["HyOpps:Storage"] = "Oracle" }));
        Assert.Contains("HyOpps:Storage", error.Message, StringComparison.Ordinal);
        Assert.Contains("Oracle", error.Message, StringComparison.Ordinal);

        error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(settings: new Dictionary<string, string?> { ["HyOpps:Storage"] = "Postgres" }));
        Assert.Contains("ConnectionStrings:HyOpps", error.Message, StringComparison.Ordinal);
    }

    private async Task<(SampleTestHost A, SampleTestHost B)> StartHostsAsync()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        Dictionary<string, string?> Settings(string worker) => new()
        {
            ["HyOpps:Storage"] = "Postgres",
            ["ConnectionStrings:HyOpps"] = connectionString,
            [$"{PendingStartOptions.Section}:ReconcileInterval"] = "01:00:00",
            [$"{SampleHostApp.RuntimeSection}:WorkerId"] = worker,
        };

        var a = await StartAsync(settings: Settings("host-a"));
        try
        {
            // Accounts appear at once in the simulators, so host B's real-service retry delays (seconds) are not waited for.
            a.Sandbox.Slack.InvitationAcceptedAfterLookups = 0;
            a.Sandbox.Atlassian.InvitedAccountVisibleAfterSearches = 0;
            a.Sandbox.Graph.NewGuestInvisibleAttempts = 0;
            var settings = Settings("host-b");
            foreach (var (key, value) in a.Sandbox.Settings)
            {
                settings[key] = value;
            }

            settings["HyOpps:Sandbox"] = "false";
            settings["HyOpps:DataDirectory"] = a.Services.GetRequiredService<OwnedDataDirectory>().Path;
            var b = await StartAsync(settings: settings, configure: builder => builder.Services.AddHttpClient(TeamsServiceNames.IdentityHttpClient)
                .ConfigurePrimaryHttpMessageHandler(a.Sandbox.Graph.CreateHttpMessageHandler));
            return (a, b);
        }
        catch
        {
            await a.DisposeAsync();
            throw;
        }
    }

    private static async Task<HashSet<string>> WorkersAsync(SampleTestHost host)
    {
        var connectionString = host.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["ConnectionStrings:HyOpps"];
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT DISTINCT worker_id FROM hyopps.attempts", connection);
        var workers = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            workers.Add(reader.GetString(0));
        }

        return workers;
    }
}
