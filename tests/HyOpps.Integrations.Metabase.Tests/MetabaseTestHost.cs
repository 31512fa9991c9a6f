using System.Text.Json;
using HyOpps.Integrations.Metabase;
using HyOpps.Integrations.Metabase.Internal;
using HyOpps.Onboarding;
using HyOpps.Testing.Metabase;
using HyOpps.Testing.Steps;
using HyOpps.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace HyOpps.Integrations.Metabase.Tests;

/// <summary>One simulator and one service provider with the Metabase integration pointed at it, per test.</summary>
internal sealed class MetabaseTestHost : IAsyncDisposable
{
    private MetabaseTestHost(MetabaseSimulator simulator, ServiceProvider services)
    {
        Simulator = simulator;
        Services = services;
        Logs = services.GetFakeLogCollector();
    }

    public MetabaseSimulator Simulator { get; }

    public ServiceProvider Services { get; }

    public FakeLogCollector Logs { get; }

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Starts a simulator and a provider using its admin API key, with tiny retry delays.</summary>
    public static async Task<MetabaseTestHost> StartAsync(Action<MetabaseOptions, MetabaseSimulator>? configure = null)
    {
        var simulator = new MetabaseSimulator();
        await simulator.StartAsync(Ct);
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
        services.AddHyOpps().AddMetabase(o =>
        {
            o.BaseUrl = simulator.BaseAddress;
            o.ApiKey = simulator.ApiKey;
            o.RetryDelay = TimeSpan.FromMilliseconds(2);
            o.Timeout = TimeSpan.FromSeconds(10);
            configure?.Invoke(o, simulator);
        });
        return new MetabaseTestHost(simulator, services.BuildServiceProvider(validateScopes: true));
    }

    public static PartnerOnboardingInput Input(string email = "Jane.Doe@Partner.example", int? groupId = null, string first = "Jane", string last = "Doe", RecordedAccount? recorded = null)
        => new()
        {
            Org = new PartnerOrg { Name = "Acme", MetabaseGroupId = groupId },
            User = new PartnerUser { Email = email, FirstName = first, LastName = last, Accounts = new RecordedAccounts { Metabase = recorded } },
        };

    /// <summary>The offboarding input of a person whose onboarding recorded the Metabase user <paramref name="userId"/>.</summary>
    public static PartnerOnboardingInput Recorded(int userId, int? groupId, bool createdByHyOpps = true)
        => Input(groupId: groupId, recorded: new RecordedAccount { Id = userId.ToString(System.Globalization.CultureInfo.InvariantCulture), CreatedByHyOpps = createdByHyOpps });

    public MetabaseOptions Options => Services.GetRequiredService<IOptionsMonitor<MetabaseOptions>>().CurrentValue;

    public MetabaseClient CreateClient()
        => new(
            Services.GetRequiredService<IHttpClientFactory>().CreateClient(MetabaseClient.HttpClientName),
            Options,
            Services.GetRequiredService<ILoggerFactory>().CreateLogger("client"),
            TimeProvider.System);

    public TestStepContext Context(PartnerOnboardingInput input, string stepId)
        => new(input, Services, stepId) { TestLogger = Services.GetRequiredService<ILoggerFactory>().CreateLogger("step." + stepId) };

    public async Task<StepResult> RunAsync<TStep>(PartnerOnboardingInput input, Action<TestStepContext>? setup = null)
        where TStep : IWorkflowStep
    {
        var stepId = typeof(TStep).GetField("Id")!.GetValue(null)!.ToString()!;
        var context = Context(input, stepId);
        setup?.Invoke(context);
        var step = (IWorkflowStep)ActivatorUtilities.GetServiceOrCreateInstance(Services, typeof(TStep));
        return await step.ExecuteAsync(context, Ct);
    }

    public async Task<StepResult> RunAsync<TStep>(TestStepContext context)
        where TStep : IWorkflowStep
    {
        var step = (IWorkflowStep)ActivatorUtilities.GetServiceOrCreateInstance(Services, typeof(TStep));
        return await step.ExecuteAsync(context, Ct);
    }

    public int CountRequests(string method, string pathPrefix)
        => Simulator.Requests.Count(r => r.Method == method && r.PathAndQuery.StartsWith(pathPrefix, StringComparison.Ordinal));

    /// <summary>Gets every log record as text: message, structured values, scopes and exceptions.</summary>
    public string AllLogText()
        => string.Join(
            "\n",
            Logs.GetSnapshot().Select(r => string.Join(
                " | ",
                r.Message,
                string.Join(",", r.StructuredState?.Select(kv => kv.Key + "=" + kv.Value) ?? []),
                string.Join(",", r.Scopes.Select(s => s?.ToString())),
                r.Exception?.ToString())));

    public static string Json(StepResult result) => result.Output?.ToJsonString() ?? string.Empty;

    public static int OutputInt(StepResult result, string name) => result.Output![name]!.GetValue<int>();

    public static string? OutputString(StepResult result, string name) => result.Output![name]?.GetValue<string>();

    public static JsonElement ToElement(object value) => JsonSerializer.SerializeToElement(value, value.GetType(), HyOppsJson.SerializerOptions);

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}
