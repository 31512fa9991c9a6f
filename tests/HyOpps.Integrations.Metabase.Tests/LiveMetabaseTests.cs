using System.Globalization;
using HyOpps.Testing.Steps;
using HyOpps.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace HyOpps.Integrations.Metabase.Tests;

/// <summary>Runs against a real Metabase, only when HYOPPS_LIVE_METABASE_URL and HYOPPS_LIVE_METABASE_API_KEY are set.</summary>
/// <remarks>
/// The read-only test needs an API key in the Administrators group. The full cycle also needs HYOPPS_LIVE_METABASE_GROUP_ID
/// (a group it may add test users to); it leaves one deactivated user <c>hyopps-live-…@example.invalid</c> behind, as Metabase
/// cannot delete users.
/// </remarks>
public sealed class LiveMetabaseTests
{
    private static readonly string? Url = Environment.GetEnvironmentVariable("HYOPPS_LIVE_METABASE_URL");
    private static readonly string? ApiKey = Environment.GetEnvironmentVariable("HYOPPS_LIVE_METABASE_API_KEY");
    private static readonly string? GroupId = Environment.GetEnvironmentVariable("HYOPPS_LIVE_METABASE_GROUP_ID");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ServiceProvider CreateProvider()
    {
        Assert.SkipWhen(
            string.IsNullOrWhiteSpace(Url) || string.IsNullOrWhiteSpace(ApiKey),
            "Set HYOPPS_LIVE_METABASE_URL and HYOPPS_LIVE_METABASE_API_KEY to run against a real Metabase.");
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
        services.AddHyOpps().AddMetabase(o =>
        {
            o.BaseUrl = new Uri(Url!);
            o.ApiKey = ApiKey;
        });
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task Live_LookupOfAnUnknownEmail_ReturnsNullWithoutLeakingTheKey()
    {
        await using var provider = CreateProvider();
        var lookup = provider.GetRequiredService<IMetabaseUserLookup>();

        var user = await lookup.FindUserByEmailAsync($"hyopps-live-{Guid.NewGuid():N}@example.invalid", Ct);

        Assert.Null(user);
        var logs = string.Join("\n", provider.GetFakeLogCollector().GetSnapshot().Select(r => r.Message + string.Join(",", r.StructuredState ?? [])));
        Assert.DoesNotContain(ApiKey!, logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Live_FullCycle_CreatesVerifiesRemovesAndDeactivates()
    {
        await using var provider = CreateProvider();
        Assert.SkipWhen(string.IsNullOrWhiteSpace(GroupId), "Set HYOPPS_LIVE_METABASE_GROUP_ID to a group the test may add users to.");
        var input = MetabaseTestHost.Input($"hyopps-live-{Guid.NewGuid():N}@example.invalid", int.Parse(GroupId!, CultureInfo.InvariantCulture), "HyOpps", "Live");

        var created = await RunAsync<CreateMetabaseAccountStep>(provider, input);
        var added = await RunAsync<AddUserToMetabaseGroupStep>(provider, input, c => c.WithOutput(CreateMetabaseAccountStep.Id, created.Output!));
        var again = await RunAsync<AddUserToMetabaseGroupStep>(provider, input, c => c.WithOutput(CreateMetabaseAccountStep.Id, created.Output!));
        var offboarding = input with { RecordedUserId = created.Output!["metabase_user_id"]!.GetValue<int>(), CreatedByHyOpps = true };
        var removed = await RunAsync<RemoveUserFromMetabaseGroupStep>(provider, offboarding);
        var deactivated = await RunAsync<DeactivateMetabaseAccountStep>(provider, offboarding);

        Assert.Equal("created", created.Output!["action"]!.GetValue<string>());
        Assert.True(added.Output!["verified"]!.GetValue<bool>());
        Assert.Equal("already_member", again.Output!["action"]!.GetValue<string>());
        Assert.Equal("removed", removed.Output!["action"]!.GetValue<string>());
        Assert.Equal("deactivated", deactivated.Output!["action"]!.GetValue<string>());
    }

    private static async Task<StepResult> RunAsync<TStep>(IServiceProvider provider, MetabaseTestHost.Case input, Action<TestStepContext>? setup = null)
        where TStep : IWorkflowStep
    {
        var stepId = (string)typeof(TStep).GetField("Id")!.GetValue(null)!;
        var outputs = new TestStepContext(new { }, provider, stepId);
        setup?.Invoke(outputs);
        var context = new TestStepContext(input.For(stepId, outputs), provider, stepId);
        setup?.Invoke(context);
        return await provider.GetRequiredService<TStep>().ExecuteAsync(context, Ct);
    }
}
