namespace HyOpps.Testing.Slack;

/// <summary>The kind of a simulated Slack account; only members (admins and owners included) can be in user groups.</summary>
public enum SlackSimulatorUserKind
{
    /// <summary>A full member of the workspace.</summary>
    Member,

    /// <summary>A multi-channel guest (<c>is_restricted</c>); user groups reject it with <c>invalid_user</c>.</summary>
    MultiChannelGuest,

    /// <summary>A single-channel guest (<c>is_ultra_restricted</c>); user groups reject it with <c>single_channel_guests_cannot_be_added</c>.</summary>
    SingleChannelGuest,

    /// <summary>A bot user (<c>is_bot</c>); user groups reject it with <c>invalid_user</c>.</summary>
    Bot,

    /// <summary>A full member who is a workspace admin (<c>is_admin</c>).</summary>
    Admin,

    /// <summary>A workspace owner (<c>is_owner</c> and <c>is_admin</c>).</summary>
    Owner,

    /// <summary>The primary owner (<c>is_primary_owner</c>, <c>is_owner</c> and <c>is_admin</c>).</summary>
    PrimaryOwner,
}
