using HyOpps.Integrations.Atlassian;
using HyOpps.Onboarding;
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

    public static PartnerOnboardingInput Input(string email, string? groupId, string? recordedAccountId = null) => new()
    {
        Org = new PartnerOrg { Name = "Acme Partners", AtlassianGroupId = groupId },
        User = new PartnerUser
        {
            Email = email,
            FirstName = "Ada",
            LastName = "Lovelace",
            Accounts = new RecordedAccounts { Atlassian = recordedAccountId is null ? null : new RecordedAccount { Id = recordedAccountId } },
        },
    };

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

    public TestStepContext Context(PartnerOnboardingInput input, string stepId = AddUserToAtlassianGroupStep.Id)
        => new(input, Services, stepId) { TestLogger = Services.GetRequiredService<ILoggerFactory>().CreateLogger("step") };

    public Task<StepResult> AddAsync(TestStepContext context)
        => Services.GetRequiredService<AddUserToAtlassianGroupStep>().ExecuteAsync(context, Ct).AsTask();

    public Task<StepResult> RemoveAsync(TestStepContext context)
        => Services.GetRequiredService<RemoveUserFromAtlassianGroupStep>().ExecuteAsync(context, Ct).AsTask();

    public int CountRequests(string method, string pathPrefix)
        => Simulator.Requests.Count(r => r.Method == method && r.PathAndQuery.StartsWith(pathPrefix, StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Simulator.DisposeAsync();
    }
}
