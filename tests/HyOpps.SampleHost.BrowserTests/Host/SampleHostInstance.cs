using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HyOpps.SampleHost.Api;
using HyOpps.SampleHost.Sandbox;
using HyOpps.Testing.Sandbox;
using HyOpps.Workflows;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HyOpps.SampleHost.BrowserTests.Host;

/// <summary>
/// The real sample host (<see cref="SampleHostApp"/>) in sandbox mode on real Kestrel at 127.0.0.1 with an OS-picked port:
/// its own simulators, its own data folder (both SQLite files, deleted on dispose), seeded with the demo org and accounts.
/// </summary>
internal sealed class SampleHostInstance : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    private readonly WebApplication _app;

    private SampleHostInstance(WebApplication app)
    {
        _app = app;
        Address = new Uri(app.Urls.Single());
    }

    /// <summary>Gets the host's address, for example <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Address { get; }

    /// <summary>Gets the simulators this host talks to (inspect them, inject faults).</summary>
    public HyOppsSandbox Sandbox => _app.Services.GetRequiredService<HyOppsSandbox>();

    public IWorkflowClient Workflows => _app.Services.GetRequiredService<IWorkflowClient>();

    public static async Task<SampleHostInstance> StartAsync(CancellationToken cancellationToken)
    {
        // Port 0: Kestrel binds an ephemeral port and app.Urls reports it after start.
        var app = await SampleHostApp.BuildAsync(["--environment", "Production", "--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["HyOpps:Sandbox"] = "true" });
            builder.Logging.ClearProviders();
        }, cancellationToken);
        try
        {
            await app.StartAsync(cancellationToken);
            return new SampleHostInstance(app);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client of the JSON API signed in with the sandbox admin's API key, for arranging what a test does not drive through the pages.</summary>
    public HttpClient AdminApi()
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Api-Key", SandboxAccounts.AdminApiKey);
        client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        return client;
    }

    /// <summary>Creates an org through the API, with its group, team, user group and channel made in the simulators.</summary>
    public async Task<OrgResponse> CreateOrgAsync(string name, CancellationToken cancellationToken)
    {
        var resources = Sandbox.ProvisionOrg(name);
        using var api = AdminApi();
        var response = await api.PostAsJsonAsync("/api/orgs", new
        {
            name,
            metabase_group_id = resources.MetabaseGroupId,
            teams_team_id = resources.TeamsTeamId,
            teams_channel_id = resources.TeamsChannelId,
            slack_user_group_id = resources.SlackUserGroupId,
            slack_channel_id = resources.SlackChannelId,
            atlassian_group_id = resources.AtlassianGroupId,
            documentation_links = new[] { new { title = $"{name} handbook", url = $"https://docs.example.com/{Uri.EscapeDataString(name)}" } },
        }, cancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(cancellationToken));
        return (await response.Content.ReadFromJsonAsync<OrgResponse>(Json, cancellationToken))!;
    }

    /// <summary>Gets the org the sandbox seeded, whose partner admin is the <c>partner</c> account.</summary>
    public async Task<OrgResponse> DemoOrgAsync(CancellationToken cancellationToken)
    {
        using var api = AdminApi();
        var orgs = await api.GetFromJsonAsync<List<OrgResponse>>("/api/orgs", Json, cancellationToken);
        return Assert.Single(orgs!, o => o.Name == SandboxAccounts.DemoOrgName);
    }

    /// <summary>Adds a user through the API (starting new_partner_user) and waits, bounded, until the onboarding settles.</summary>
    public async Task<(UserWorkflowResponse Started, ExecutionDetail Done)> OnboardAsync(string orgId, string email, CancellationToken cancellationToken)
    {
        var started = await StartOnboardingAsync(orgId, email, cancellationToken);
        var done = await WaitAsync(started.ExecutionId, cancellationToken);
        Assert.Equal(ExecutionStatus.Succeeded, done.Status);
        return (started, done);
    }

    /// <summary>Adds a user through the API (starting new_partner_user) without waiting for the onboarding.</summary>
    public async Task<UserWorkflowResponse> StartOnboardingAsync(string orgId, string email, CancellationToken cancellationToken)
    {
        using var api = AdminApi();
        using var response = await api.PostAsJsonAsync("/api/users", new { org_id = orgId, email, first_name = "Ada", last_name = "Lovelace" }, cancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(cancellationToken));
        return (await response.Content.ReadFromJsonAsync<UserWorkflowResponse>(Json, cancellationToken))!;
    }

    /// <summary>Gets a user through the API, as the sandbox admin.</summary>
    public async Task<UserResponse> GetUserAsync(string id, CancellationToken cancellationToken)
    {
        using var api = AdminApi();
        return (await api.GetFromJsonAsync<UserResponse>($"/api/users/{id}", Json, cancellationToken))!;
    }

    /// <summary>Waits (at most 90 s) until the execution settles.</summary>
    public async Task<ExecutionDetail> WaitAsync(string executionId, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        return await Workflows.WaitForCompletionAsync(executionId, timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
