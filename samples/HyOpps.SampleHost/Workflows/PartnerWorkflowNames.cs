namespace HyOpps.SampleHost.Workflows;

/// <summary>The workflows and step ids the sample composes.</summary>
public static class PartnerWorkflowNames
{
    public const string NewPartnerUser = "new_partner_user";

    public const string RemovePartnerUser = "remove_partner_user";

    /// <summary>The label every execution of both workflows carries: the org id.</summary>
    public const string OrgLabel = "org";

    /// <summary>The label every execution of both workflows carries: the normalised email.</summary>
    public const string EmailLabel = "email";

    public const string ValidatePartnerUser = "validate_partner_user";

    public const string CreatePartnerUser = "create_partner_user";

    public const string CreateMetabaseAccount = "create_metabase_account";

    public const string AddUserToMetabaseGroup = "add_user_to_metabase_group";

    public const string InviteToTeams = "invite_to_teams";

    public const string AddUserToTeamsChannel = "add_user_to_teams_channel";

    public const string AddUserToSlackGroup = "add_user_to_slack_group";

    public const string AddUserToAtlassianGroup = "add_user_to_atlassian_group";

    public const string ShareDocumentation = "share_documentation";

    public const string RemoveUserFromMetabaseGroup = "remove_user_from_metabase_group";

    public const string DeactivateMetabaseAccount = "deactivate_metabase_account";

    public const string RemoveUserFromTeams = "remove_user_from_teams";

    public const string RemoveUserFromSlackGroup = "remove_user_from_slack_group";

    public const string RemoveUserFromAtlassianGroup = "remove_user_from_atlassian_group";

    public const string MarkPartnerUserRemoved = "mark_partner_user_removed";
}
