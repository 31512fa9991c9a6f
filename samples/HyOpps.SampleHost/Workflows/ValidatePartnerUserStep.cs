using HyOpps.Onboarding;
using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Domain;
using HyOpps.Workflows;

namespace HyOpps.SampleHost.Workflows;

/// <summary>Step 1 of new_partner_user: checks the email, the names, that the org exists and is active, and that no other onboarding of the same email into the same org is under way.</summary>
[WorkflowStep(PartnerWorkflowNames.ValidatePartnerUser)]
public sealed class ValidatePartnerUserStep(OrgStore orgs, IWorkflowClient workflows) : IWorkflowStep
{
    private static readonly ExecutionStatus[] UnderWay = [ExecutionStatus.Pending, ExecutionStatus.Running, ExecutionStatus.WaitingForApproval];

    public async ValueTask<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var input = context.GetInput<PartnerOnboardingInput>();
        var problems = new List<string>();
        if (InputRules.CheckEmail(input.User.Email) is { } email)
        {
            problems.Add(email);
        }

        if (InputRules.CheckName(input.User.FirstName, "first name") is { } first)
        {
            problems.Add(first);
        }

        if (InputRules.CheckName(input.User.LastName, "last name") is { } last)
        {
            problems.Add(last);
        }

        if (string.IsNullOrWhiteSpace(input.Org.Id))
        {
            problems.Add("The input names no org id (org.id).");
        }

        if (problems.Count > 0)
        {
            throw StepException.Permanent("The partner user is not valid: " + string.Join(" ", problems), StepErrorTypes.InvalidInput);
        }

        var org = await orgs.GetAsync(input.Org.Id!, cancellationToken)
            ?? throw StepException.Permanent($"The org '{input.Org.Id}' does not exist.", StepErrorTypes.InvalidInput);
        if (!org.Active)
        {
            throw StepException.Permanent($"The org '{org.Name}' ({org.Id}) is not active: activate it, then retry this step.", StepErrorTypes.InvalidInput);
        }

        var normalized = InputRules.NormalizeEmail(input.User.Email);
        var others = await workflows.ListAsync(new ExecutionQuery
        {
            WorkflowName = PartnerWorkflowNames.NewPartnerUser,
            Statuses = UnderWay,
            // Only this org's executions: another org's onboarding is neither looked at nor named (the host refuses the
            // person's second org before any workflow starts).
            Labels = new Dictionary<string, string> { [PartnerWorkflowNames.EmailLabel] = normalized, [PartnerWorkflowNames.OrgLabel] = org.Id },
            Limit = 10,
        }, cancellationToken);
        var other = others.Items.FirstOrDefault(e => e.Id != context.ExecutionId);
        if (other is not null)
        {
            throw StepException.Permanent(
                $"Another onboarding of {normalized} is under way (execution {other.Id}): let it finish or cancel it, then retry this step.",
                StepErrorTypes.InvalidInput);
        }

        return StepResult.Succeeded(new { NormalizedEmail = normalized, DisplayName = input.User.DisplayName, OrgId = org.Id, OrgName = org.Name });
    }
}
