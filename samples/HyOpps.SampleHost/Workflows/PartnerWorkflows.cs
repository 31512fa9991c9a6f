using HyOpps.Integrations.Atlassian;
using HyOpps.Integrations.Email;
using HyOpps.Integrations.Metabase;
using HyOpps.Integrations.Slack;
using HyOpps.Integrations.Teams;
using HyOpps.Workflows;
using static HyOpps.SampleHost.Workflows.PartnerWorkflowNames;

namespace HyOpps.SampleHost.Workflows;

/// <summary>Composes new_partner_user and remove_partner_user from the integration steps and the sample's own steps.</summary>
public static class PartnerWorkflows
{
    /// <summary>Registers both workflows and the sample's steps.</summary>
    public static IHyOppsBuilder AddPartnerWorkflows(this IHyOppsBuilder builder, WorkflowTimings timings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(timings);
        return builder
            .AddWorkflow(NewPartnerUser, wf => wf
                .Version(1)
                .Step<ValidatePartnerUserStep>(ValidatePartnerUser, s => s.WithRetry(timings.Default))
                .Step<CreatePartnerUserStep>(CreatePartnerUser, s => s.WithRetry(timings.Default))
                .Step<RecordingStep<CreateMetabaseAccountStep>>(CreateMetabaseAccount, s => s.WithRetry(timings.Default))
                .Step<RecordingStep<AddUserToMetabaseGroupStep>>(AddUserToMetabaseGroup, s => s.WithRetry(timings.Default))
                .Step<RecordingStep<InviteToTeamsStep>>(InviteToTeams, s => s.WithRetry(timings.Default))
                .Step<RecordingStep<AddUserToTeamsChannelStep>>(AddUserToTeamsChannel, s => s.WithRetry(timings.TeamsVisibility))
                .Step<RecordingStep<AddUserToSlackGroupStep>>(AddUserToSlackGroup, s => s.WithRetry(timings.AccountWait))
                .Step<RecordingStep<AddUserToAtlassianGroupStep>>(AddUserToAtlassianGroup, s => s.WithRetry(timings.AccountWait))
                .Step<RecordingStep<ShareDocumentationStep>>(ShareDocumentation, s => s.WithRetry(timings.Default)))
            .AddWorkflow(RemovePartnerUser, wf => wf
                .Version(1)
                .Step<RemoveUserFromMetabaseGroupStep>(RemoveUserFromMetabaseGroup, s => s.WithRetry(timings.Default))
                .Step<DeactivateMetabaseAccountStep>(DeactivateMetabaseAccount, s => s.WithRetry(timings.Default))
                .Step<RemoveUserFromTeamsStep>(RemoveUserFromTeams, s => s.WithRetry(timings.Default))
                .Step<RemoveUserFromSlackGroupStep>(RemoveUserFromSlackGroup, s => s.WithRetry(timings.Default))
                .Step<RemoveUserFromAtlassianGroupStep>(RemoveUserFromAtlassianGroup, s => s.WithRetry(timings.Default))
                .Step<MarkPartnerUserRemovedStep>(MarkPartnerUserRemoved, s => s.WithRetry(timings.Default)));
    }
}
