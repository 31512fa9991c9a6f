using HyOpps.Workflows;
using HyOpps.Testing.Steps;
using Microsoft.Extensions.DependencyInjection;
using static HyOpps.Integrations.Metabase.Tests.MetabaseTestHost;

namespace HyOpps.Integrations.Metabase.Tests;

/// <summary>The checks [HyOppsStep] generates into ExecuteAsync: required ids before the connection, and a step that opens it itself.</summary>
public sealed class GeneratedStepChecksTests
{
    [Fact]
    public async Task Execute_GroupIdNotPositiveWhileNotConfigured_FailsNamingTheFieldBeforeTheSettings()
    {
        await using var provider = Unconfigured();
        var step = provider.GetRequiredService<RemoveUserFromMetabaseGroupStep>();

        var ex = await Assert.ThrowsAsync<StepException>(async () =>
            await ((IWorkflowStep)step).ExecuteAsync(new TestStepContext(Recorded(7, 0).For(RemoveUserFromMetabaseGroupStep.Id, null!), provider), Ct));

        Assert.False(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.InvalidInput, ex.ErrorType);
        Assert.Equal("The step's input group_id is 0; a Metabase id is a positive whole number.", ex.Message);
    }

    [Fact]
    public async Task Execute_AccountNotMadeByHyOppsWhileNotConfigured_IsSkippedWithoutTheSettings()
    {
        await using var provider = Unconfigured();
        var step = provider.GetRequiredService<DeactivateMetabaseAccountStep>();

        var result = await ((IWorkflowStep)step).ExecuteAsync(
            new TestStepContext(Recorded(7, 3, createdByHyOpps: false).For(DeactivateMetabaseAccountStep.Id, null!), provider), Ct);

        Assert.Equal(StepOutcome.Skipped, result.Outcome);
        Assert.Equal("existed_before_onboarding", OutputString(result, "action"));
    }

    [Fact]
    public async Task Execute_AccountMadeByHyOppsWhileNotConfigured_FailsNamingTheSettings()
    {
        await using var provider = Unconfigured();
        var step = provider.GetRequiredService<DeactivateMetabaseAccountStep>();

        var ex = await Assert.ThrowsAsync<StepException>(async () =>
            await ((IWorkflowStep)step).ExecuteAsync(new TestStepContext(Recorded(7, 3).For(DeactivateMetabaseAccountStep.Id, null!), provider), Ct));

        Assert.Equal(StepErrorTypes.NotConfigured, ex.ErrorType);
        Assert.Contains("HyOpps:Metabase:BaseUrl", ex.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Unconfigured()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddHyOpps().AddMetabase();
        return services.BuildServiceProvider();
    }
}
