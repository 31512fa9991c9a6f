using HyOpps.Integrations.Atlassian.Internal;
using HyOpps.Integrations.Atlassian;
using HyOpps.Testing.Atlassian;
using HyOpps.Testing.Steps;
using HyOpps.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace HyOpps.Integrations.Atlassian.Tests;

/// <summary>One simulator and one service provider wired to it, per test.</summary>
internal sealed class AtlassianHarness : IAsyncDisposable
{
    private AtlassianHarness(AtlassianSimulator simulator, ServiceProvider services)
    {
        Simulator = simulator;
        Services = services;
        Logs = services.GetFakeLogCollector();
    }

    public AtlassianSimulator Simulator { get; }

    public ServiceProvider Services { get; }

    public FakeLogCollector Logs { get; }

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<AtlassianHarness> StartAsync(Action<AtlassianOptions>? configure = null, bool withAdminKey = false, AtlassianSimulator? simulator = null)
    {
        simulator ??= new AtlassianSimulator();
        await simulator.StartAsync(Ct);
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
        services.AddHyOpps().AddAtlassian(o =>
        {
            o.SiteUrl = simulator.SiteUrl;
            o.Email = simulator.Email;
            o.ApiToken = simulator.ApiToken;
            o.AdminApiBaseUrl = simulator.AdminApiBaseUrl;
            if (withAdminKey)
            {
                o.OrgAdminApiKey = simulator.OrgAdminApiKey;
                o.OrgId = simulator.OrgId;
            }

            o.Timeout = TimeSpan.FromSeconds(10);
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(5);
            configure?.Invoke(o);
        });
        return new AtlassianHarness(simulator, services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
    }

    /// <summary>A test's person and group, mapped onto each step's own input.</summary>
    public sealed record Case(string Email, string? GroupId, string? RecordedAccountId);

    public static Case Input(string email, string? groupId, string? recordedAccountId = null) => new(email, groupId, recordedAccountId);

    /// <summary>Gets every log record as text: message, structured values, scopes and exceptions.</summary>
    public string AllLogText()
        => string.Join(
            "\n",
            Logs.GetSnapshot().Select(r => string.Join(
                " | ",
                r.Level,
                r.Message,
                string.Join(",", r.StructuredState?.Select(kv => kv.Key + "=" + kv.Value) ?? []),
                string.Join(",", r.Scopes.Select(s => s?.ToString())),
                r.Exception?.ToString())));

    public AtlassianClient Client => Services.GetRequiredService<AtlassianClient>();

    public TestStepContext Context(Case input, string stepId = AddUserToAtlassianGroupStep.Id)
        => new(
            stepId == AddUserToAtlassianGroupStep.Id
                ? new AddUserToAtlassianGroupInput { Email = input.Email, GroupId = input.GroupId! }
                : new RemoveUserFromAtlassianGroupInput { AccountId = input.RecordedAccountId!, GroupId = input.GroupId! },
            Services,
            stepId) { TestLogger = Services.GetRequiredService<ILoggerFactory>().CreateLogger("step") };

    public Task<StepResult> AddAsync(TestStepContext context)
        => ((IWorkflowStep)Services.GetRequiredService<AddUserToAtlassianGroupStep>()).ExecuteAsync(context, Ct).AsTask();

    public Task<StepResult> RemoveAsync(TestStepContext context)
        => ((IWorkflowStep)Services.GetRequiredService<RemoveUserFromAtlassianGroupStep>()).ExecuteAsync(context, Ct).AsTask();

    public int CountRequests(string method, string pathPrefix)
        => Simulator.Requests.Count(r => r.Method == method && r.PathAndQuery.StartsWith(pathPrefix, StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}
