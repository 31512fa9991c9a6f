using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HyOpps.SampleHost.Api;
using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Domain;
using HyOpps.SampleHost.Sandbox;
using HyOpps.Testing.Sandbox;
using HyOpps.Workflows;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace HyOpps.SampleHost.Tests;

/// <summary>The sample host in sandbox mode on real Kestrel at 127.0.0.1 (an OS-picked port), with its own simulators, data folder and captured logs.</summary>
internal sealed class SampleTestHost : IAsyncDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    private SampleTestHost(WebApplication app)
    {
        App = app;
        Address = new Uri(app.Urls.Single());
    }

    public WebApplication App { get; }

    /// <summary>Gets the host's address, for example <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Address { get; }

    public IServiceProvider Services => App.Services;

    public HyOppsSandbox Sandbox => Services.GetRequiredService<HyOppsSandbox>();

    public IWorkflowClient Workflows => Services.GetRequiredService<IWorkflowClient>();

    public FakeLogCollector Logs => Services.GetRequiredService<FakeLogCollector>();

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<SampleTestHost> StartAsync(string environment = "Production", IDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        // Port 0: Kestrel binds an ephemeral port and app.Urls reports it after start.
        var app = await SampleHostApp.BuildAsync(["--environment", environment, "--urls", "http://127.0.0.1:0"], builder =>
        {
            configure?.Invoke(builder);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["HyOpps:Sandbox"] = "true" });
            if (settings is not null)
            {
                builder.Configuration.AddInMemoryCollection(settings);
            }

            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Debug);
            builder.Logging.AddFakeLogging();
        }, Ct);
        try
        {
            await app.StartAsync(Ct);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new SampleTestHost(app);
    }

    /// <summary>A client with no credentials that keeps no cookies and follows no redirects (see <see cref="CookieJar"/>).</summary>
    public HttpClient Anonymous()
    {
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        return client;
    }

    /// <summary>A client that signs in with an API key.</summary>
    public HttpClient WithKey(string apiKey)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    public HttpClient Admin() => WithKey(SandboxAccounts.AdminApiKey);

    /// <summary>The demo org the sandbox seeded.</summary>
    public async Task<OrgRecord> DemoOrgAsync()
        => (await Services.GetRequiredService<OrgStore>().FindByNameAsync(SandboxAccounts.DemoOrgName, Ct))!;

    /// <summary>Creates an org through the API with its resources in every simulator.</summary>
    public async Task<OrgResponse> CreateOrgAsync(string name)
    {
        var resources = Sandbox.ProvisionOrg(name);
        using var admin = Admin();
        var response = await admin.PostAsJsonAsync("/api/orgs", new
        {
            name,
            metabase_group_id = resources.MetabaseGroupId,
            teams_team_id = resources.TeamsTeamId,
            teams_channel_id = resources.TeamsChannelId,
            slack_user_group_id = resources.SlackUserGroupId,
            slack_channel_id = resources.SlackChannelId,
            atlassian_group_id = resources.AtlassianGroupId,
            documentation_links = new[] { new { title = "Handbook", url = $"https://docs.example.com/{Uri.EscapeDataString(name)}" } },
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<OrgResponse>(Json, Ct))!;
    }

    /// <summary>Creates a partner admin of an org and returns an API key of theirs.</summary>
    public async Task<string> PartnerAdminKeyAsync(string orgId, string userName)
    {
        var accounts = Services.GetRequiredService<AccountStore>();
        var account = await accounts.CreateAsync(userName, "a-long-test-password", Roles.PartnerAdmin, orgId, Ct);
        return (await accounts.CreateApiKeyAsync(account!.Id, "test", Ct)).Key;
    }

    /// <summary>Adds a user through the API and returns the answer.</summary>
    public async Task<UserWorkflowResponse> AddUserAsync(HttpClient client, string orgId, string email, string first = "Ada", string last = "Lovelace")
    {
        var response = await client.PostAsJsonAsync("/api/users", new { org_id = orgId, email, first_name = first, last_name = last }, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<UserWorkflowResponse>(Json, Ct))!;
    }

    /// <summary>Waits (bounded) until the execution settles.</summary>
    public async Task<ExecutionDetail> WaitAsync(string executionId)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        return await Workflows.WaitForCompletionAsync(executionId, timeout.Token);
    }

    public async Task<UserResponse> GetUserAsync(string id)
    {
        using var admin = Admin();
        return (await admin.GetFromJsonAsync<UserResponse>($"/api/users/{id}", Json, Ct))!;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
    }
}
