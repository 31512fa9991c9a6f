using HyOpps.Onboarding;
using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Domain;
using HyOpps.Workflows;

namespace HyOpps.SampleHost.Workflows;

/// <summary>Step 2 of new_partner_user: the host's own record of the user (found, or created when the flow was started elsewhere).</summary>
[WorkflowStep(PartnerWorkflowNames.CreatePartnerUser)]
public sealed class CreatePartnerUserStep(PartnerUserStore users) : IWorkflowStep
{
    public async ValueTask<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var input = context.GetInput<PartnerOnboardingInput>();
        var user = await users.EnsureOnboardingAsync(
            input.Org.Id!,
            input.User.Email.Trim(),
            InputRules.NormalizeEmail(input.User.Email),
            input.User.FirstName.Trim(),
            input.User.LastName.Trim(),
            context.ExecutionId,
            cancellationToken)
            ?? throw StepException.Permanent(
                "The person is being removed (or was removed) while this onboarding ran; start a new onboarding to add them again.");
        if (user.OnboardingExecutionId != context.ExecutionId)
        {
            // Another onboarding of this org owns the record: going on would provision accounts that no record tracks.
            throw StepException.Permanent(
                $"The person is already {user.Status} in this org through the onboarding {user.OnboardingExecutionId}; cancel one of the two onboardings.");
        }

        return StepResult.Succeeded(new { PartnerUserId = user.Id, user.Status });
    }
}
