namespace HyOpps.Integrations.Teams.Internal;

/// <summary>The person-facing messages shared by the Teams steps and start-up checks.</summary>
internal static class TeamsMessages
{
    public const string InvitePermission = "User.Invite.All";
    public const string ReadUsersPermission = "User.Read.All";
    public const string TeamMemberPermission = "TeamMember.ReadWrite.All";
    public const string ChannelMemberPermission = "ChannelMember.ReadWrite.All";

    public static string PermissionDenied(TeamsOptions options, string operation, string permission, GraphFailure failure)
        => $"Microsoft Graph denied {operation} ({failure.Describe()}): the app registration '{options.ClientId}' needs the "
            + $"application permission {permission}, and an administrator must grant admin consent for it "
            + "(Entra ID > App registrations > API permissions > Grant admin consent).";

    public static string Unauthorized(TeamsOptions options, string operation, GraphFailure failure)
        => $"Microsoft Graph rejected the access token while {operation} ({failure.Describe()}): check {options.Key("TenantId")}, "
            + $"{options.Key("ClientId")} and {options.Key("GraphBaseUrl")}.";
}
