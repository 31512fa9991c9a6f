using HyOpps.Integrations.Atlassian;
using HyOpps.Integrations.Email;
using HyOpps.Integrations.Metabase;
using HyOpps.Integrations.Slack;
using HyOpps.Integrations.Teams;
using HyOpps.Onboarding;

namespace HyOpps.SampleHost.Workflows;

/// <summary>The workflows and step ids of the sample: HyOpps.Onboarding's, and the sample's own steps around them.</summary>
public static class PartnerWorkflowNames
{
    public const string NewPartnerUser = PartnerOnboardingWorkflows.NewPartnerUser;

    public const string RemovePartnerUser = PartnerOnboardingWorkflows.RemovePartnerUser;

    /// <summary>The label every execution of both workflows carries: the org id.</summary>
    public const string OrgLabel = "org";

    /// <summary>The label every execution of both workflows carries: the normalised email.</summary>
    public const string EmailLabel = "email";

    public const string ValidatePartnerUser = "validate_partner_user";

    public const string CreatePartnerUser = "create_partner_user";

    public const string CreateMetabaseAccount = CreateMetabaseAccountStep.Id;

    public const string AddUserToMetabaseGroup = AddUserToMetabaseGroupStep.Id;

    public const string InviteToTeams = InviteToTeamsStep.Id;

    public const string AddUserToTeamsChannel = AddUserToTeamsChannelStep.Id;

    public const string AddUserToSlackGroup = AddUserToSlackGroupStep.Id;

    public const string AddUserToAtlassianGroup = AddUserToAtlassianGroupStep.Id;

    public const string ShareDocumentation = ShareDocumentationStep.Id;

    public const string RemoveUserFromMetabaseGroup = RemoveUserFromMetabaseGroupStep.Id;

    public const string DeactivateMetabaseAccount = DeactivateMetabaseAccountStep.Id;

    public const string RemoveUserFromTeams = RemoveUserFromTeamsStep.Id;

    public const string RemoveUserFromSlackGroup = RemoveUserFromSlackGroupStep.Id;

    public const string RemoveUserFromAtlassianGroup = RemoveUserFromAtlassianGroupStep.Id;

    public const string CompletePartnerUser = "complete_partner_user";

    public const string MarkPartnerUserRemoved = "mark_partner_user_removed";
}
