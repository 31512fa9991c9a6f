using HyOpps.Testing.Steps;
using HyOpps.Workflows;
using Microsoft.Extensions.DependencyInjection;
using static HyOpps.Integrations.Metabase.Tests.MetabaseTestHost;

namespace HyOpps.Integrations.Metabase.Tests;

/// <summary>A host without Metabase settings fails a Metabase step naming the settings (the definition skips the steps for orgs without Metabase).</summary>
public sealed class OptionalIntegrationTests
{
    [Fact]
    public async Task Execute_NotConfigured_RecordedAccountOfAnOrgWithAGroup_FailsNamingTheSettings()
    {
        await using var provider = Unconfigured();

        var ex = await Assert.ThrowsAsync<StepException>(async () => await RunAsync(provider, RemoveUserFromMetabaseGroupStep.Id, Recorded(7, groupId: 5)));

        Assert.Equal(StepErrorTypes.NotConfigured, ex.ErrorType);
        Assert.Contains("HyOpps:Metabase:BaseUrl", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_NotConfigured_GroupIdNotPositive_FailsNamingTheFieldBeforeTheSettings()
    {
        await using var provider = Unconfigured();

        var ex = await Assert.ThrowsAsync<StepException>(async () => await RunAsync(provider, RemoveUserFromMetabaseGroupStep.Id, Recorded(7, groupId: 0)));

        Assert.False(ex.IsRetryable);
        Assert.Equal(StepErrorTypes.InvalidInput, ex.ErrorType);
        Assert.Equal("The step's input group_id is 0; a Metabase id is a positive whole number.", ex.Message);
    }

    [Fact]
    public async Task Execute_NotConfigured_AccountHyOppsDidNotMake_IsSkippedWithoutTheSettings()
    {
        await using var provider = Unconfigured();

        var result = await RunAsync(provider, DeactivateMetabaseAccountStep.Id, Recorded(7, groupId: 5, createdByHyOpps: false));

        Assert.Equal(StepOutcome.Skipped, result.Outcome);
        Assert.Equal("existed_before_onboarding", OutputString(result, "action"));
    }

    [Fact]
    public async Task Execute_NotConfigured_AccountHyOppsMade_FailsNamingTheSettings()
    {
        await using var provider = Unconfigured();

        var ex = await Assert.ThrowsAsync<StepException>(async () => await RunAsync(provider, DeactivateMetabaseAccountStep.Id, Recorded(7, groupId: 5)));

        Assert.Equal(StepErrorTypes.NotConfigured, ex.ErrorType);
        Assert.Contains("HyOpps:Metabase:BaseUrl", ex.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Unconfigured()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddHyOpps().AddMetabase();
        return services.BuildServiceProvider();
    }

    private static async Task<StepResult> RunAsync(ServiceProvider provider, string stepId, Case input)
    {
        IWorkflowStep step = stepId switch
        {
            CreateMetabaseAccountStep.Id => provider.GetRequiredService<CreateMetabaseAccountStep>(),
            AddUserToMetabaseGroupStep.Id => provider.GetRequiredService<AddUserToMetabaseGroupStep>(),
            RemoveUserFromMetabaseGroupStep.Id => provider.GetRequiredService<RemoveUserFromMetabaseGroupStep>(),
            _ => provider.GetRequiredService<DeactivateMetabaseAccountStep>(),
        };
        var context = new TestStepContext(new { }, provider, stepId);
        return await step.ExecuteAsync(new TestStepContext(input.For(stepId, context), provider, stepId), Ct);
    }
}
