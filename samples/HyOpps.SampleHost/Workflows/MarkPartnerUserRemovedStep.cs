using HyOpps.Onboarding;
using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Domain;
using HyOpps.Workflows;

namespace HyOpps.SampleHost.Workflows;

/// <summary>The last step of remove_partner_user: marks the host's record removed.</summary>
[WorkflowStep(PartnerWorkflowNames.MarkPartnerUserRemoved)]
public sealed class MarkPartnerUserRemovedStep(PartnerUserStore users) : IWorkflowStep
{
    public async ValueTask<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var input = context.GetInput<PartnerOnboardingInput>();
        var email = InputRules.NormalizeEmail(input.User.Email);
        var user = await users.FindAsync(input.Org.Id!, email, cancellationToken);
        if (user is null)
        {
            return StepResult.Skipped($"The host has no record of {email} in org {input.Org.Id}.");
        }

        await users.SetStatusAsync(user.OrgId, user.NormalizedEmail, PartnerUserStatus.Removed, cancellationToken);
        return StepResult.Succeeded(new { PartnerUserId = user.Id, Status = PartnerUserStatus.Removed });
    }
}
