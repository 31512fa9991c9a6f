using System.Net;
using System.Text.RegularExpressions;
using HyOpps.Dashboard;
using HyOpps.TestUtilities;
using HyOpps.Workflows;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HyOpps.Dashboard.Tests;

/// <summary>A real Kestrel app on 127.0.0.1 with test sign-in, the HyOpps runtime on its own SQLite file, and the dashboard at /hyopps.</summary>
internal sealed partial class DashboardTestApp : IAsyncDisposable
{
    public const string Prefix = "/hyopps";
    public const string OnboardingFlow = "new_partner_user";
    public const string ApprovalFlow = "approval_flow";
    public const string SlowFlow = "slow_flow";

    private readonly WebApplication _app;
    private readonly TestDatabase _database;
    private readonly List<HttpClient> _clients = [];

    private DashboardTestApp(WebApplication app, TestDatabase database, Uri address)
    {
        _app = app;
        _database = database;
        Address = address;
    }

    public Uri Address { get; }

    public IWorkflowClient Workflows => _app.Services.GetRequiredService<IWorkflowClient>();

    public Faults Faults => _app.Services.GetRequiredService<Faults>();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Starts the app; the dashboard scopes to the caller's org claim and lets role "viewer" only look.</summary>
    public static async Task<DashboardTestApp> StartAsync(Action<HyOppsDashboardOptions>? configure = null, Action<WebApplication>? map = null, bool useAntiforgeryMiddleware = false)
    {
        var database = new TestDatabase();
        try
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Services.AddSingleton<Faults>();
            builder.Services.AddAuthentication(TestAuthHandler.SchemeName).AddScheme<AuthenticationSchemeOptions, TestAuthHandler>(TestAuthHandler.SchemeName, null);
            builder.Services.AddAuthorization();
            builder.Services.AddHyOppsDashboard();
            builder.Services.AddHyOpps(o =>
            {
                o.PollInterval = TimeSpan.FromMilliseconds(100);
                o.DefaultRetryPolicy = RetryPolicy.None;
            }).UseSqlite(database.ConnectionString)
                .AddWorkflow(OnboardingFlow, wf => wf
                    .Step("validate_partner_user", (c, _) => ValueTask.FromResult(StepResult.Succeeded(new { Email = c.GetInput<TestInput>().Email.ToLowerInvariant() })))
                    .Step("add_user_to_metabase_group", (c, _) =>
                    {
                        var input = c.GetInput<TestInput>();
                        if (c.Services.GetRequiredService<Faults>().Get(input.Fault) is { } fault)
                        {
                            throw StepException.Permanent(fault);
                        }

                        return ValueTask.FromResult(StepResult.Succeeded(new { MetabaseGroupId = 7, Verified = true, input.Note }));
                    }, s => s.WithDisplayName("Add user to Metabase group"))
                    .Step<ShareDocumentationStep>("share_documentation", s => s
                        .Input(c => new ShareDocumentationInput(c.GetOutput<ValidatedUser>("validate_partner_user").Email, "https://docs.example/guide"))))
                .AddWorkflow(ApprovalFlow, wf => wf
                    .Step("prepare", (_, _) => ValueTask.FromResult(StepResult.Succeeded(new { Ready = true })))
                    .ManualStep("approve_access", "Grant <b>admin</b> access to the partner?")
                    .Step("grant", (_, _) => ValueTask.FromResult(StepResult.Succeeded(new { Granted = true }))))
                .AddWorkflow(SlowFlow, wf => wf
                    .Step<WaitStep>("wait", s => s.Input(c => new ShareDocumentationInput(c.GetInput<TestInput>().Email, "https://docs.example/wait"))));

            var app = builder.Build();
            app.UseAuthentication();
            app.UseAuthorization();
            if (useAntiforgeryMiddleware)
            {
                app.UseAntiforgery();
            }
            app.MapHyOppsDashboard(Prefix, o =>
            {
                o.Title = "Test operations";
                o.ScopeLabels = static c => c.User.FindFirst("org") is { } org ? new Dictionary<string, string> { ["org"] = org.Value } : null;
                o.CanOperate = static c => !c.User.IsInRole("viewer");
                configure?.Invoke(o);
            }).RequireAuthorization();

            // Hands out a valid antiforgery token for the signed-in user, so tests can post forms the page would not show.
            app.MapGet("/test/antiforgery-token", (HttpContext c, IAntiforgery antiforgery) => antiforgery.GetAndStoreTokens(c).RequestToken!).RequireAuthorization();
            map?.Invoke(app);
            await app.StartAsync(Ct);
            return new DashboardTestApp(app, database, new Uri(app.Urls.First()));
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    /// <summary>Creates a client signed in as <paramref name="user"/> that keeps cookies and does not follow redirects.</summary>
    public HttpClient CreateClient(string? user = "alice", string? org = null, string? role = null)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = Address };
        if (user is not null)
        {
            client.DefaultRequestHeaders.Add(TestAuthHandler.UserHeader, user);
        }

        if (org is not null)
        {
            client.DefaultRequestHeaders.Add(TestAuthHandler.OrgHeader, org);
        }

        if (role is not null)
        {
            client.DefaultRequestHeaders.Add(TestAuthHandler.RoleHeader, role);
        }

        _clients.Add(client);
        return client;
    }

    public async Task<string> StartAsync(string workflow, TestInput input, string org)
    {
        var started = await Workflows.StartAsync(workflow, input, new StartExecutionOptions { Labels = new Dictionary<string, string> { ["org"] = org }, Actor = "test" }, Ct);
        return started.ExecutionId;
    }

    public async Task<ExecutionDetail> SettledAsync(string executionId)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        return await Workflows.WaitForCompletionAsync(executionId, timeout.Token);
    }

    public Task<ExecutionDetail?> RunningAsync(string executionId)
        => Eventually.UntilAsync(() => Workflows.GetAsync(executionId, Ct), d => d?.Status == ExecutionStatus.Running, $"execution {executionId} running");

    public async Task<string> RunAsync(string workflow, TestInput input, string org = "42")
    {
        var id = await StartAsync(workflow, input, org);
        await SettledAsync(id);
        return id;
    }

    public static async Task<(HttpStatusCode Status, string Html)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, params (string Name, string Value)[] fields)
    {
        using var content = new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Name, f.Value)));
        return await client.PostAsync(new Uri(path, UriKind.Relative), content, Ct);
    }

    /// <summary>Follows a bulk confirmation's redirect to its progress page until the action has finished, and returns the result page.</summary>
    public static async Task<string> BulkResultAsync(HttpClient client, HttpResponseMessage confirmed)
    {
        Assert.Equal(HttpStatusCode.SeeOther, confirmed.StatusCode);
        var location = confirmed.Headers.Location!.ToString();
        Assert.StartsWith(Prefix + "/bulk/jobs/", location, StringComparison.Ordinal);
        var (_, page) = await Eventually.UntilAsync(() => GetAsync(client, location), p => p.Html.Contains("data-testid=\"bulk-result\"", StringComparison.Ordinal), "the bulk action to finish");
        return page;
    }

    /// <summary>Gets a valid antiforgery token for the client's user (and sets its cookie).</summary>
    public static async Task<string> TokenAsync(HttpClient client)
        => await client.GetStringAsync(new Uri("/test/antiforgery-token", UriKind.Relative), Ct);

    /// <summary>Reads the antiforgery token from the first form of a page.</summary>
    public static string FormToken(string html)
    {
        var match = TokenField().Match(html);
        Assert.True(match.Success, "The page has no form with an antiforgery token.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>Cuts the markup of one step out of an execution page.</summary>
    public static string Step(string html, string stepId)
    {
        var start = html.IndexOf($"data-step-id=\"{stepId}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"The page has no step '{stepId}'.");
        var end = html.IndexOf("</li>", start, StringComparison.Ordinal);
        return html[start..end];
    }

    public static string ExecutionPath(string executionId) => $"{Prefix}/executions/{executionId}";

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        try
        {
            await _app.StopAsync(CancellationToken.None);
        }
        finally
        {
            await _app.DisposeAsync();
            _database.Dispose();
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
