using HyOpps.Onboarding;
using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Domain;
using HyOpps.Workflows;

namespace HyOpps.SampleHost.Workflows;

/// <summary>The last step of new_partner_user, once every integration is done: marks the host's record active.</summary>
[WorkflowStep(PartnerWorkflowNames.CompletePartnerUser)]
public sealed class CompletePartnerUserStep(PartnerUserStore users) : IWorkflowStep
{
    public async ValueTask<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var input = context.GetInput<PartnerOnboardingInput>();
        var email = InputRules.NormalizeEmail(input.User.Email);

        // False for a late run of an onboarding that is no longer the person's (cancelled, or the person was removed).
        var activated = await users.CompleteOnboardingAsync(input.Org.Id!, email, context.ExecutionId, cancellationToken);
        return StepResult.Succeeded(new { Activated = activated });
    }
}
