using System.Security.Claims;
using HyOpps.Integrations.Metabase;
using HyOpps.Onboarding;
using HyOpps.Testing.Metabase;
using HyOpps.TestUtilities;
using HyOpps.Workflows;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HyOpps.Dashboard.BrowserTests.Host;

/// <summary>
/// A small app on real Kestrel (127.0.0.1, ephemeral port) for browser tests: cookie sign-in for an admin and a partner admin
/// of org A, a page that adds a partner user (starting <c>new_partner_user</c>), and the dashboard at <c>/hyopps</c> scoped
/// by the user's claims. Metabase is the in-process <see cref="MetabaseSimulator"/>; the runtime stores on its own SQLite file.
/// </summary>
internal sealed class OnboardingBrowserHost : IAsyncDisposable
{
    public const string DashboardPrefix = "/hyopps";
    public const string Workflow = PartnerOnboardingWorkflows.NewPartnerUser;
    public const string OrgAId = "acme";
    public const string OrgBId = "globex";
    public const string DashboardPolicy = "dashboard";

    private readonly WebApplication _app;
    private readonly TestDatabase _database;

    private OnboardingBrowserHost(WebApplication app, TestDatabase database, MetabaseSimulator metabase, IReadOnlyList<TestOrg> orgs)
    {
        _app = app;
        _database = database;
        Metabase = metabase;
        Orgs = orgs;
        Address = new Uri(app.Urls.First());
    }

    /// <summary>Gets the app's address, for example <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Address { get; }

    /// <summary>Gets the Metabase simulator the steps talk to (inspect it, inject faults).</summary>
    public MetabaseSimulator Metabase { get; }

    /// <summary>Gets the orgs: A (<see cref="OrgAId"/>) and B (<see cref="OrgBId"/>).</summary>
    public IReadOnlyList<TestOrg> Orgs { get; }

    public TestOrg OrgA => Orgs[0];

    public TestOrg OrgB => Orgs[1];

    public IWorkflowClient Workflows => _app.Services.GetRequiredService<IWorkflowClient>();

    public OnboardingGate Gate => _app.Services.GetRequiredService<OnboardingGate>();

    public static async Task<OnboardingBrowserHost> StartAsync(CancellationToken cancellationToken)
    {
        var metabase = new MetabaseSimulator();
        var database = new TestDatabase();
        try
        {
            await metabase.StartAsync(cancellationToken);
            IReadOnlyList<TestOrg> orgs =
            [
                new(OrgAId, "Acme Analytics", metabase.CreateGroup("Acme Analytics")),
                new(OrgBId, "Globex Corporation", metabase.CreateGroup("Globex Corporation")),
            ];
            var app = Build(database, metabase, orgs);
            await app.StartAsync(cancellationToken);
            return new OnboardingBrowserHost(app, database, metabase, orgs);
        }
        catch
        {
            await metabase.DisposeAsync();
            database.Dispose();
            throw;
        }
    }

    /// <summary>Starts an onboarding the way the add-user form does, for seeding.</summary>
    public async Task<string> StartOnboardingAsync(TestOrg org, string email, string actor = "seed", CancellationToken cancellationToken = default)
    {
        var started = await Workflows.StartAsync(Workflow, Input(org, email, "Test", "Person"), Options(org, email, actor), cancellationToken);
        return started.ExecutionId;
    }

    /// <summary>Starts an onboarding and waits until it settles.</summary>
    public async Task<ExecutionDetail> RunOnboardingAsync(TestOrg org, string email, CancellationToken cancellationToken = default)
    {
        var id = await StartOnboardingAsync(org, email, cancellationToken: cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        return await Workflows.WaitForCompletionAsync(id, timeout.Token);
    }

    internal static PartnerOnboardingInput Input(TestOrg org, string email, string firstName, string lastName) => new()
    {
        Org = new PartnerOrg { Id = org.Id, Name = org.Name, MetabaseGroupId = org.MetabaseGroupId },
        User = new PartnerUser { Email = email, FirstName = firstName, LastName = lastName },
    };

    internal static StartExecutionOptions Options(TestOrg org, string email, string actor) => new()
    {
        IdempotencyKey = $"{org.Id}:{email.Trim().ToLowerInvariant()}",
        Labels = new Dictionary<string, string> { ["org"] = org.Id, ["email"] = email.Trim().ToLowerInvariant() },
        Actor = actor,
    };

    private static WebApplication Build(TestDatabase database, MetabaseSimulator metabase, IReadOnlyList<TestOrg> orgs)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton<OnboardingGate>();
        builder.Services.AddSingleton(orgs);
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(o =>
        {
            o.LoginPath = "/login";
            o.LogoutPath = "/logout";
            o.AccessDeniedPath = "/denied";
            o.Cookie.Name = "hyopps-browser-test";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
        builder.Services.AddAuthorization(o => o.AddPolicy(DashboardPolicy, p => p
            .RequireAuthenticatedUser()
            .RequireAssertion(c => c.User.IsInRole(TestUser.AdminRole)
                || (c.User.IsInRole(TestUser.PartnerAdminRole) && c.User.FindFirst(TestUser.OrgClaim) is { Value.Length: > 0 }))));
        builder.Services.AddHyOppsDashboard();
        builder.Services.AddHyOpps(o =>
        {
            o.PollInterval = TimeSpan.FromMilliseconds(100);
            o.DefaultRetryPolicy = new RetryPolicy { MaxAttempts = 2, InitialDelay = TimeSpan.FromMilliseconds(200), UseJitter = false };
        })
            .UseSqlite(database.ConnectionString)
            .AddMetabase(o =>
            {
                o.BaseUrl = metabase.BaseAddress;
                o.ApiKey = metabase.ApiKey;
                o.MaxRetryAttempts = 0;
                o.Timeout = TimeSpan.FromSeconds(10);
            })
            // The other integrations are registered unconfigured: the definition skips them for these orgs, which have no ids for them.
            .AddTeams()
            .AddSlack()
            .AddAtlassian()
            .AddEmail()
            .AddPartnerOnboarding(o =>
            {
                o.BeforeOnboarding = wf => wf
                    .Step("validate_partner_user", async (c, ct) =>
                    {
                        var input = c.GetInput<PartnerOnboardingInput>();
                        await c.Services.GetRequiredService<OnboardingGate>().WaitAsync(input.User.NormalizedEmail, ct);
                        if (!input.User.Email.Contains('@', StringComparison.Ordinal))
                        {
                            throw StepException.Permanent($"'{input.User.Email}' is not an email address.");
                        }

                        return StepResult.Succeeded(new { Email = input.User.NormalizedEmail });
                    }, s => s.WithDisplayName("Validate partner user"))
                    .Step("create_partner_user", (c, _) =>
                    {
                        var input = c.GetInput<PartnerOnboardingInput>();
                        return ValueTask.FromResult(StepResult.Succeeded(new { UserId = $"{input.Org.Id}:{input.User.NormalizedEmail}" }));
                    }, s => s.WithDisplayName("Create partner user"));
                o.AfterOnboarding = wf => wf
                    .Step("record_onboarding", (c, _) =>
                    {
                        var group = c.GetOutput<AddUserToMetabaseGroupOutput>(AddUserToMetabaseGroupStep.Id);
                        return ValueTask.FromResult(StepResult.Succeeded(new { Onboarded = true, group.MetabaseGroupId }));
                    }, s => s.WithDisplayName("Record onboarding"));
            });

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        HostPages.Map(app);
        app.MapHyOppsDashboard(DashboardPrefix, o =>
        {
            o.Title = "Onboarding operations";
            o.ScopeLabels = static c => c.User.IsInRole(TestUser.AdminRole)
                ? null
                : new Dictionary<string, string> { ["org"] = c.User.FindFirst(TestUser.OrgClaim)?.Value ?? string.Empty };
            o.CanOperate = static c => c.User.IsInRole(TestUser.AdminRole);
            o.RefreshInterval = TimeSpan.FromSeconds(1);
            o.BackLinkUrl = "/";
            o.BackLinkText = "Partner users";
        }).RequireAuthorization(DashboardPolicy);
        return app;
    }

    internal static ClaimsPrincipal Principal(TestUser user)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.UserName),
            new(ClaimTypes.Name, user.UserName),
            new(ClaimTypes.Role, user.Role),
        };
        if (user.OrgId is not null)
        {
            claims.Add(new Claim(TestUser.OrgClaim, user.OrgId));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync(CancellationToken.None);
        }
        finally
        {
            await _app.DisposeAsync();
            await Metabase.DisposeAsync();
            _database.Dispose();
        }
    }
}
