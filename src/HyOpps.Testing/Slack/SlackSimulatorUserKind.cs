namespace HyOpps.Testing.Slack;

/// <summary>The kind of a simulated Slack account; only members can be in user groups.</summary>
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
}
