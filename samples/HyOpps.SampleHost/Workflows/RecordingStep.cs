using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HyOpps.Integrations.Atlassian;
using HyOpps.Integrations.Metabase;
using HyOpps.Integrations.Slack;
using HyOpps.Integrations.Teams;
using HyOpps.Onboarding;
using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Domain;
using HyOpps.Workflows;

namespace HyOpps.SampleHost.Workflows;

/// <summary>
/// Runs an integration step, then records the account its typed output names (the Metabase, Teams, Slack or Atlassian user,
/// and whether HyOpps created it) on the host's partner user record, which is what offboarding later acts on; after the last
/// onboarding step it marks the user active.
/// </summary>
/// <typeparam name="TStep">The integration step.</typeparam>
public sealed class RecordingStep<TStep>(TStep inner, PartnerUserStore users) : IWorkflowStep
    where TStep : class, IWorkflowStep
{
    public async ValueTask<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = await inner.ExecuteAsync(context, cancellationToken);
        if (result.Outcome is not (StepOutcome.Succeeded or StepOutcome.Skipped) || context.WorkflowName != PartnerWorkflowNames.NewPartnerUser)
        {
            return result;
        }

        var input = context.GetInput<PartnerOnboardingInput>();
        var orgId = input.Org.Id!;
        var email = InputRules.NormalizeEmail(input.User.Email);
        if (result.Outcome == StepOutcome.Succeeded && result.Output is { } output && Recorded(output) is { } accounts)
        {
            await users.RecordAccountsAsync(orgId, email, accounts, cancellationToken);
        }

        if (context.StepId == PartnerWorkflowNames.ShareDocumentation)
        {
            await users.SetStatusAsync(orgId, email, PartnerUserStatus.Active, cancellationToken);
        }

        return result;
    }

    private RecordedAccounts? Recorded(JsonObject output) => inner switch
    {
        CreateMetabaseAccountStep => Read<CreateMetabaseAccountOutput>(output) is { } o
            ? new RecordedAccounts
            {
                Metabase = new RecordedAccount
                {
                    Id = o.MetabaseUserId.ToString(CultureInfo.InvariantCulture),
                    CreatedByHyOpps = o.Action is CreateMetabaseAccountOutput.Created or CreateMetabaseAccountOutput.Reactivated,
                },
            }
            : null,
        InviteToTeamsStep => Read<InviteToTeamsOutput>(output) is { } o
            ? new RecordedAccounts { Teams = new RecordedAccount { Id = o.TeamsUserId, CreatedByHyOpps = !o.ExistingUser } }
            : null,
        AddUserToSlackGroupStep => Read<AddUserToSlackGroupOutput>(output) is { } o
            ? new RecordedAccounts { Slack = new RecordedAccount { Id = o.SlackUserId, CreatedByHyOpps = o.InvitedToWorkspace } }
            : null,
        AddUserToAtlassianGroupStep => Read<AddUserToAtlassianGroupOutput>(output) is { } o
            ? new RecordedAccounts { Atlassian = new RecordedAccount { Id = o.AtlassianAccountId, CreatedByHyOpps = o.Invited } }
            : null,
        _ => null,
    };

    private static T? Read<T>(JsonObject output) => output.Deserialize<T>(HyOppsJson.SerializerOptions);
}
