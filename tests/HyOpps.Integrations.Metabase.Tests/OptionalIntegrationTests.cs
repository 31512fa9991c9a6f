using HyOpps.Testing.Steps;
using HyOpps.Workflows;
using Microsoft.Extensions.DependencyInjection;
using static HyOpps.Integrations.Metabase.Tests.MetabaseTestHost;

namespace HyOpps.Integrations.Metabase.Tests;

/// <summary>A host without Metabase settings onboards and offboards people of orgs that do not use Metabase.</summary>
public sealed class OptionalIntegrationTests
{
    public static TheoryData<string> AllSteps => [CreateMetabaseAccountStep.Id, AddUserToMetabaseGroupStep.Id, RemoveUserFromMetabaseGroupStep.Id, DeactivateMetabaseAccountStep.Id];

    public static TheoryData<string> OffboardingSteps => [RemoveUserFromMetabaseGroupStep.Id, DeactivateMetabaseAccountStep.Id];

    [Theory]
    [MemberData(nameof(AllSteps))]
    public async Task Execute_NotConfigured_OrgWithoutMetabaseGroup_IsSkippedNamingTheOrg(string stepId)
    {
        await using var provider = Unconfigured();

        var result = await RunAsync(provider, stepId, Recorded(7, groupId: null));

        Assert.Equal(StepOutcome.Skipped, result.Outcome);
        Assert.Contains("'Acme' has no Metabase group id", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(OffboardingSteps))]
    public async Task Execute_NotConfigured_PersonWithoutRecordedAccount_IsSkipped(string stepId)
    {
        await using var provider = Unconfigured();

        var result = await RunAsync(provider, stepId, Input(groupId: 5));

        Assert.Equal(StepOutcome.Skipped, result.Outcome);
        Assert.Contains("No Metabase account was recorded", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_NotConfigured_RecordedAccountOfAnOrgWithAGroup_FailsNamingTheSettings()
    {
        await using var provider = Unconfigured();

        var ex = await Assert.ThrowsAsync<StepException>(async () => await RunAsync(provider, RemoveUserFromMetabaseGroupStep.Id, Recorded(7, groupId: 5)));

        Assert.Equal(StepErrorTypes.NotConfigured, ex.ErrorType);
        Assert.Contains("HyOpps:Metabase:BaseUrl", ex.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Unconfigured()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddHyOpps().AddMetabase();
        return services.BuildServiceProvider();
    }

    private static async Task<StepResult> RunAsync(ServiceProvider provider, string stepId, Onboarding.PartnerOnboardingInput input)
    {
        IWorkflowStep step = stepId switch
        {
            CreateMetabaseAccountStep.Id => provider.GetRequiredService<CreateMetabaseAccountStep>(),
            AddUserToMetabaseGroupStep.Id => provider.GetRequiredService<AddUserToMetabaseGroupStep>(),
            RemoveUserFromMetabaseGroupStep.Id => provider.GetRequiredService<RemoveUserFromMetabaseGroupStep>(),
            _ => provider.GetRequiredService<DeactivateMetabaseAccountStep>(),
        };
        return await step.ExecuteAsync(new TestStepContext(input, provider, stepId), Ct);
    }
}
