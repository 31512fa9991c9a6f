using System.Globalization;
using System.Text.Json;
using HyOpps.Integrations.Atlassian;
using HyOpps.Integrations.Metabase;
using HyOpps.Integrations.Slack;
using HyOpps.Integrations.Teams;
using Microsoft.Extensions.DependencyInjection;

namespace HyOpps.Onboarding.Internal;

/// <summary>
/// Runs an integration step of <c>new_partner_user</c>, then records the account its typed output names (and whether HyOpps
/// made it) through the host's <see cref="IPartnerDirectory"/>, at once: offboarding acts only on recorded accounts, also when
/// a later step of the onboarding fails.
/// </summary>
internal sealed class RecordingStep<TStep, TInput>(TStep inner, IServiceProvider services) : IWorkflowStep<TInput>
    where TStep : class, IWorkflowStep<TInput>
    where TInput : class
{
    public async ValueTask<StepResult> ExecuteAsync(TInput input, StepContext context, CancellationToken cancellationToken)
    {
        var result = await inner.ExecuteAsync(input, context, cancellationToken).ConfigureAwait(false);
        if (result is not { Outcome: StepOutcome.Succeeded, Output: { } output } || services.GetService<IPartnerDirectory>() is not { } directory)
        {
            return result;
        }

        var workflowInput = context.GetInput<PartnerOnboardingInput>();
        if (workflowInput.Org.Id is { Length: > 0 } orgId && Recorded(output.Deserialize<JsonElement>()) is { } accounts)
        {
            await directory.RecordAccountsAsync(orgId, workflowInput.User.NormalizedEmail, context.ExecutionId, accounts, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    private static RecordedAccounts? Recorded(JsonElement output) => typeof(TStep) switch
    {
        var t when t == typeof(CreateMetabaseAccountStep) => Read<CreateMetabaseAccountOutput>(output) is { } o
            ? new RecordedAccounts
            {
                Metabase = new RecordedAccount
                {
                    Id = o.MetabaseUserId.ToString(CultureInfo.InvariantCulture),
                    CreatedByHyOpps = o.Action is CreateMetabaseAccountOutput.Created or CreateMetabaseAccountOutput.Reactivated,
                },
            }
            : null,
        var t when t == typeof(InviteToTeamsStep) => Read<InviteToTeamsOutput>(output) is { } o
            ? new RecordedAccounts { Teams = new RecordedAccount { Id = o.TeamsUserId, CreatedByHyOpps = !o.ExistingUser } }
            : null,
        var t when t == typeof(AddUserToSlackGroupStep) => Read<AddUserToSlackGroupOutput>(output) is { } o
            ? new RecordedAccounts { Slack = new RecordedAccount { Id = o.SlackUserId, CreatedByHyOpps = o.InvitedToWorkspace } }
            : null,
        var t when t == typeof(AddUserToAtlassianGroupStep) => Read<AddUserToAtlassianGroupOutput>(output) is { } o
            ? new RecordedAccounts { Atlassian = new RecordedAccount { Id = o.AtlassianAccountId, CreatedByHyOpps = o.Invited } }
            : null,
        _ => null,
    };

    private static T? Read<T>(JsonElement output) => output.Deserialize<T>(HyOppsJson.SerializerOptions);
}
