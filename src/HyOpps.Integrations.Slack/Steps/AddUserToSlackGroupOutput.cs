namespace HyOpps.Integrations.Slack;

/// <summary>The output of <see cref="AddUserToSlackGroupStep"/>, stored as <c>{"slack_user_id": ..., "slack_user_group_id": ..., ...}</c>.</summary>
public sealed record AddUserToSlackGroupOutput
{
    /// <summary>Gets the person's Slack user id.</summary>
    public required string SlackUserId { get; init; }

    /// <summary>Gets the user group the person is now a member of.</summary>
    public required string SlackUserGroupId { get; init; }

    /// <summary>Gets a value indicating whether the person was a member already, so nothing was written.</summary>
    public bool AlreadyMember { get; init; }

    /// <summary>Gets the member count after the step, as last read.</summary>
    public int MemberCount { get; init; }

    /// <summary>Gets the channel the person was invited to, when the org names one.</summary>
    public string? SlackChannelId { get; init; }

    /// <summary>Gets the channel invitation's result, <c>invited</c> or <c>already_in_channel</c>, when the org names a channel.</summary>
    public string? ChannelInvite { get; init; }

    /// <summary>Gets a value indicating whether the person's account came from a workspace invitation sent by this step.</summary>
    public bool InvitedToWorkspace { get; init; }
}
