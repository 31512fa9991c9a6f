using System.Text.Json;
using HyOpps.Integrations.Metabase;
using HyOpps.Integrations.Metabase.Internal;
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

    /// <summary>A test's person, group and recorded account, mapped onto each step's own input as a definition would.</summary>
    public sealed record Case(string Email, int? GroupId, string FirstName, string LastName, int? RecordedUserId, bool CreatedByHyOpps)
    {
        public object For(string stepId, StepContext context) => stepId switch
        {
            CreateMetabaseAccountStep.Id => new CreateMetabaseAccountInput { Email = Email, FirstName = FirstName, LastName = LastName },
            AddUserToMetabaseGroupStep.Id => new AddUserToMetabaseGroupInput
            {
                Email = Email,
                GroupId = GroupId ?? 0,
                MetabaseUserId = context.TryGetOutput(CreateMetabaseAccountStep.Id, out _)
                    ? context.GetOutput<CreateMetabaseAccountOutput>(CreateMetabaseAccountStep.Id).MetabaseUserId
                    : null,
            },
            RemoveUserFromMetabaseGroupStep.Id => new RemoveUserFromMetabaseGroupInput { MetabaseUserId = RecordedUserId ?? 0, GroupId = GroupId ?? 0 },
            DeactivateMetabaseAccountStep.Id => new DeactivateMetabaseAccountInput { MetabaseUserId = RecordedUserId ?? 0, CreatedByHyOpps = CreatedByHyOpps },
            _ => throw new ArgumentOutOfRangeException(nameof(stepId), stepId, null),
        };
    }

    public static Case Input(string email = "Jane.Doe@Partner.example", int? groupId = null, string first = "Jane", string last = "Doe")
        => new(email, groupId, first, last, null, false);

    /// <summary>The offboarding input of a person whose onboarding recorded the Metabase user <paramref name="userId"/>.</summary>
    public static Case Recorded(int userId, int? groupId, bool createdByHyOpps = true)
        => Input(groupId: groupId) with { RecordedUserId = userId, CreatedByHyOpps = createdByHyOpps };

    public MetabaseOptions Options => Services.GetRequiredService<IOptionsMonitor<MetabaseOptions>>().CurrentValue;

    public MetabaseClient CreateClient()
        => new(
            Services.GetRequiredService<IHttpClientFactory>().CreateClient(MetabaseClient.HttpClientName),
            Options,
            Services.GetRequiredService<ILoggerFactory>().CreateLogger("client"),
            TimeProvider.System);

    public TestStepContext Context(Case input, string stepId, Action<TestStepContext>? setup = null)
    {
        var outputs = new TestStepContext(new { }, Services, stepId);
        setup?.Invoke(outputs);
        var context = new TestStepContext(input.For(stepId, outputs), Services, stepId)
        {
            TestLogger = Services.GetRequiredService<ILoggerFactory>().CreateLogger("step." + stepId),
        };
        setup?.Invoke(context);
        return context;
    }

    public async Task<StepResult> RunAsync<TStep>(Case input, Action<TestStepContext>? setup = null)
        where TStep : IWorkflowStep
        => await RunAsync<TStep>(Context(input, typeof(TStep).GetField("Id")!.GetValue(null)!.ToString()!, setup));

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
