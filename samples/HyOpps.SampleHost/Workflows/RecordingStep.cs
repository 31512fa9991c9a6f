using System.Text.Json.Nodes;
using HyOpps.Onboarding;
using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Domain;
using HyOpps.Workflows;

namespace HyOpps.SampleHost.Workflows;

/// <summary>
/// Runs an integration step, then copies the external ids in its output (metabase_user_id, teams_user_id, slack_user_id,
/// atlassian_account_id) onto the host's partner user record; after the last onboarding step it marks the user active.
/// </summary>
/// <typeparam name="TStep">The integration step.</typeparam>
public sealed class RecordingStep<TStep>(TStep inner, PartnerUserStore users) : IWorkflowStep
    where TStep : class, IWorkflowStep
{
    public async ValueTask<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = await inner.ExecuteAsync(context, cancellationToken);
        if (result.Outcome is not (StepOutcome.Succeeded or StepOutcome.Skipped))
        {
            return result;
        }

        var input = context.GetInput<PartnerOnboardingInput>();
        var orgId = input.Org.Id!;
        var email = InputRules.NormalizeEmail(input.User.Email);
        var output = result.Output;
        var metabase = Int(output, "metabase_user_id");
        var teams = Text(output, "teams_user_id");
        var slack = Text(output, "slack_user_id");
        var atlassian = Text(output, "atlassian_account_id");
        if (context.WorkflowName == PartnerWorkflowNames.NewPartnerUser && (metabase is not null || teams is not null || slack is not null || atlassian is not null))
        {
            await users.RecordExternalIdsAsync(orgId, email, metabase, teams, slack, atlassian, cancellationToken);
        }

        if (context.WorkflowName == PartnerWorkflowNames.NewPartnerUser && context.StepId == PartnerWorkflowNames.ShareDocumentation)
        {
            await users.SetStatusAsync(orgId, email, PartnerUserStatus.Active, cancellationToken);
        }

        return result;
    }

    private static int? Int(JsonObject? output, string name)
        => output?[name] is JsonValue value && value.TryGetValue<int>(out var number) ? number : null;

    private static string? Text(JsonObject? output, string name)
        => output?[name] is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text) ? text : null;
}
