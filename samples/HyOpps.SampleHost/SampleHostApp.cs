using System.Text.Json;
using System.Text.Json.Serialization;
using HyOpps.Integrations.Teams;
using HyOpps.Onboarding;
using HyOpps.SampleHost.Api;
using HyOpps.SampleHost.Cleanup;
using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Notifications;
using HyOpps.SampleHost.Pages;
using HyOpps.SampleHost.Sandbox;
using HyOpps.SampleHost.Security;
using HyOpps.SampleHost.Starts;
using HyOpps.SampleHost.Workflows;
using HyOpps.Testing.Sandbox;
using HyOpps.Workflows;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Configuration.Memory;

namespace HyOpps.SampleHost;

/// <summary>Builds the sample host: configuration, sandbox mode, storage, workflows, security, the API and the pages.</summary>
public static partial class SampleHostApp
{
    /// <summary>The address served when none is configured (urls, ASPNETCORE_URLS, Kestrel:Endpoints).</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>The configuration section bound to the workflow runtime's <see cref="HyOppsOptions"/>.</summary>
    public const string RuntimeSection = HyOppsServiceCollectionExtensions.RuntimeSectionName;

    /// <summary>The global notification address in sandbox mode (a mailbox of the SMTP simulator).</summary>
    public const string SandboxOperatorsEmail = "operators@sandbox.hyopps.test";

    /// <summary>Builds the application; in sandbox mode the simulators are started before the integrations read their settings.</summary>
    /// <param name="args">The command-line arguments (configuration overrides).</param>
    /// <param name="configure">Changes to the builder before anything is read from it (tests add configuration and a test server).</param>
    /// <param name="cancellationToken">Cancels start-up.</param>
    public static async Task<WebApplication> BuildAsync(string[] args, Action<WebApplicationBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ApplicationName = typeof(SampleHostApp).Assembly.GetName().Name });
        configure?.Invoke(builder);
        var settings = SampleHostSettings.From(builder.Configuration, builder.Environment.EnvironmentName);

        string? ownedDirectory = null;
        var dataDirectory = settings.DataDirectory;
        if (string.IsNullOrWhiteSpace(dataDirectory))
        {
            // The simulators start empty each run, so sandbox data (whose org ids point into them) lives only as long as they do.
            dataDirectory = settings.Sandbox
                ? ownedDirectory = Path.Combine(Path.GetTempPath(), "hyopps-sample", Guid.NewGuid().ToString("N"))
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "HyOpps.SampleHost");
        }

        Directory.CreateDirectory(dataDirectory);
        HyOppsSandbox? sandbox = null;
        if (settings.Sandbox)
        {
            // Sandbox defaults of the runtime, under every other configuration source: a killed host's executions resume
            // once their leases expire, so leases are short here; polls are frequent so that a demo feels immediate.
            builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
            {
                InitialData = new Dictionary<string, string?>
                {
                    [$"{RuntimeSection}:PollInterval"] = "00:00:00.200",
                    [$"{RuntimeSection}:LeaseDuration"] = "00:00:15",

                    // A cancelled demo onboarding's accounts are removed within a second, while the operator still looks.
                    [$"{OnboardingCleanupOptions.Section}:{nameof(OnboardingCleanupOptions.Interval)}"] = "00:00:01",

                    // Notifications go to the SMTP simulator's operators' mailbox and link to this host's dashboard.
                    [$"{RuntimeSection}:Notifications:DashboardBaseUrl"] = DashboardBaseUrl(builder.Configuration["urls"]),
                    [$"{RuntimeSection}:Notifications:PollInterval"] = "00:00:01",
                    [$"{SampleNotificationOptions.Section}:Email"] = SandboxOperatorsEmail,
                },
            });
            sandbox = await HyOppsSandbox.StartAsync(cancellationToken: cancellationToken);
            builder.Configuration.AddInMemoryCollection(sandbox.Settings);
            builder.Services.AddSingleton(_ => sandbox);
            if (ownedDirectory is not null)
            {
                builder.Services.AddSingleton(_ => new OwnedDataDirectory(ownedDirectory));
            }
        }

        try
        {
            var app = Configure(builder, settings, dataDirectory, sandbox);
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("HyOpps.SampleHost");
            if (sandbox is not null)
            {
                // Resolved first so that the container disposes them last, after the stores that use the folder.
                _ = app.Services.GetRequiredService<HyOppsSandbox>();
                _ = app.Services.GetService<OwnedDataDirectory>();
                logger.LogWarning(
                    "Sandbox mode ({Reason}): Metabase, Microsoft Graph, Slack, Atlassian and SMTP are in-process simulators on 127.0.0.1 (Metabase {Metabase}, Graph {Graph}, Slack {Slack}, Atlassian {Atlassian}, SMTP port {SmtpPort}); "
                    + "data in {DataDirectory} lasts for this run only. Demo accounts: admin and partner (see README). Configure HyOpps:<Integration> sections to use real services.",
                    settings.SandboxReason, sandbox.Metabase.BaseAddress, sandbox.Graph.BaseAddress, sandbox.Slack.BaseAddress, sandbox.Atlassian.BaseAddress, sandbox.Smtp.Port, dataDirectory);
            }
            else
            {
                logger.LogInformation("Real services ({Reason}); data in {DataDirectory}.", settings.SandboxReason, dataDirectory);
            }

            await SampleSeeder.SeedAsync(app.Services, settings, sandbox, logger, cancellationToken);
            return app;
        }
        catch
        {
            if (sandbox is not null)
            {
                await sandbox.DisposeAsync();
            }

            throw;
        }
    }

    private static WebApplication Configure(WebApplicationBuilder builder, SampleHostSettings settings, string dataDirectory, HyOppsSandbox? sandbox)
    {
        var services = builder.Services;
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"])
            && string.IsNullOrEmpty(builder.Configuration["https_ports"]) && !builder.Configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = 1024 * 1024);
        services.AddSingleton(settings);
        var storage = SampleStorageSettings.From(builder.Configuration);
        services.AddSingleton(storage == SampleStorage.Postgres
            ? SampleDatabase.Postgres(SampleStorageSettings.PostgresConnectionString(builder.Configuration)!)
            : new SampleDatabase(Path.Combine(dataDirectory, "sample.db")));
        services.AddSingleton<OrgStore>();
        services.AddSingleton<PartnerUserStore>();
        services.AddSingleton<AccountStore>();
        services.AddSingleton<PartnerUserService>();
        services.AddSingleton<OrgChangeService>();
        AddBackgroundWork(services, builder.Configuration, settings);
        services.AddTransient<ValidatePartnerUserStep>();
        services.AddTransient<CreatePartnerUserStep>();
        services.AddTransient<MarkPartnerUserRemovedStep>();
        services.AddTransient<CompletePartnerUserStep>();
        services.AddScoped<IPartnerDirectory, SamplePartnerDirectory>();

        // The runtime binds HyOpps:Runtime itself (MaxConcurrentExecutions, PollInterval, LeaseDuration, WorkerId, ...), and
        // UsePostgres() ConnectionStrings:HyOpps and HyOpps:Postgres.
        var timings = sandbox is null ? WorkflowTimings.Real : WorkflowTimings.Sandbox;
        var hyopps = services.AddHyOpps();
        _ = storage == SampleStorage.Postgres ? hyopps.UsePostgres() : hyopps.UseSqlite($"Data Source={Path.Combine(dataDirectory, "hyopps.db")}");
        hyopps
            .AddMetabase()
            .AddTeams()
            .AddSlack()
            .AddAtlassian()
            .AddEmail()
            .AddSampleNotifications()
            .AddSampleChatNotifications(builder.Configuration)
            .AddWorkflow(FormerOrgGroups.Name, wf => FormerOrgGroups.Define(wf, timings.Default))
            .AddPartnerOnboarding(o =>
            {
                timings.ApplyTo(o);
                o.BeforeOnboarding = wf => wf
                    .Step<ValidatePartnerUserStep>(PartnerWorkflowNames.ValidatePartnerUser, s => s.WithRetry(timings.Default))
                    .Step<CreatePartnerUserStep>(PartnerWorkflowNames.CreatePartnerUser, s => s.WithRetry(timings.Default));
                o.AfterOnboarding = wf => wf.Step<CompletePartnerUserStep>(PartnerWorkflowNames.CompletePartnerUser, s => s.WithRetry(timings.Default));
                o.AfterOffboarding = wf => wf.Step<MarkPartnerUserRemovedStep>(PartnerWorkflowNames.MarkPartnerUserRemoved, s => s.WithRetry(timings.Default));
            });

        if (sandbox is not null)
        {
            // The simulator's token endpoint is https with a self-signed certificate: trust it for token requests only.
            services.AddHttpClient(TeamsServiceNames.IdentityHttpClient).ConfigurePrimaryHttpMessageHandler(sandbox.Graph.CreateHttpMessageHandler);
        }

        // After the runtime's services, so that the runtime has started when the reconciler's first pass starts workflows.
        services.AddHostedService(sp => sp.GetRequiredService<PendingStartReconciler>());
        services.AddHostedService(sp => sp.GetRequiredService<OnboardingCleanup>());

        services.AddSampleSecurity();
        var signInLimits = SignInLimits.From(builder.Configuration);
        services.AddSingleton(signInLimits);
        services.AddSingleton<SignInThrottle>();
        services.AddRateLimiter(o => SignInThrottle.AddPolicy(o, signInLimits));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "hyopps.af";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.HeaderName = ApiAntiforgery.HeaderName;
        });
        services.AddProblemDetails();
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.DictionaryKeyPolicy = null;
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;

            // The web defaults read "7" as 7 and let a repeated key win silently: a number must be a number, a key said once.
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            o.SerializerOptions.AllowDuplicateProperties = false;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        });
        services.AddOpenApi();
        services.AddHealthChecks().AddHyOppsHealthChecks();
        AddTelemetry(builder);
        services.AddHyOppsDashboard();
        services.AddSingleton<DashboardMarker>();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseSecurityHeaders();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();
        app.UseApiAntiforgery();

        app.MapOpenApi().AllowAnonymous();

        // Load balancers and probes see the status alone; admins see every check with its reason.
        app.MapHealthChecks("/health").AllowAnonymous();
        app.MapHealthChecks("/health/details", new HealthCheckOptions { ResponseWriter = WriteHealthDetailsAsync })
            .RequireAuthorization(SecurityServiceCollectionExtensions.AdminPolicy);
        var api = app.MapGroup("/api").AddEndpointFilter<ApiProblemFilter>();
        OrgEndpoints.Map(api);
        UserEndpoints.Map(api);
        ExecutionEndpoints.Map(api);
        AccountEndpoints.Map(api);
        MetabaseDebugEndpoints.Map(api, app.Environment);
        RetentionEndpoints.Map(api);
        app.MapFallback("/api/{**path}", ApiFallback.Answer).AllowAnonymous().ExcludeFromDescription();
        Html.MapStylesheet(app);
        AccountPages.Map(app);

        // The operator UI: admins see every execution; a partner admin only those labelled with their org (others answer 404).
        app.MapHyOppsDashboard("/hyopps", o =>
        {
            o.Title = "HyOpps executions";
            o.ScopeLabels = http => Actor.From(http.User) switch
            {
                { IsAdmin: true } => null,
                { OrgId: { } org } => new Dictionary<string, string> { [PartnerWorkflowNames.OrgLabel] = org },
                _ => new Dictionary<string, string> { [PartnerWorkflowNames.OrgLabel] = "\0no-org" },
            };
            o.CanOperate = http => Actor.From(http.User) is not null;
            o.GetActor = http => Actor.From(http.User)?.AuditName ?? "unknown";
            // Executions carry the org's id as a label; show its name instead (only for executions the caller may see).
            o.LabelValueDisplay = async (http, key, value) => key == PartnerWorkflowNames.OrgLabel && value.Length <= Domain.InputRules.MaxExternalIdLength
                ? (await http.RequestServices.GetRequiredService<OrgStore>().GetAsync(value, http.RequestAborted))?.Name
                : null;
            o.BackLinkUrl = "/";
            o.BackLinkText = "Back to orgs and users";
        }).RequireAuthorization();
        PartnerPages.Map(app);
        OrgFormPages.Map(app);
        UserFormPages.Map(app);
        return app;
    }

    /// <summary>The dashboard's address for links in notifications: the first configured URL when it names a host, else the default one.</summary>
    private static string DashboardBaseUrl(string? urls)
    {
        var first = urls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        var url = first is not null && Uri.TryCreate(first, UriKind.Absolute, out var parsed) && parsed.Host is not ("+" or "*" or "0.0.0.0" or "[::]")
            ? parsed.GetLeftPart(UriPartial.Authority)
            : DefaultUrl;
        return url + "/hyopps";
    }
}
