namespace HyOpps.Integrations.Slack;

/// <summary>The output of <see cref="RemoveUserFromSlackGroupStep"/>, stored as <c>{"slack_user_group_id": ..., "removed": ...}</c>.</summary>
public sealed record RemoveUserFromSlackGroupOutput
{
    /// <summary>Gets the person's Slack user id, or <see langword="null"/> when they have no Slack account.</summary>
    public string? SlackUserId { get; init; }

    /// <summary>Gets the user group.</summary>
    public required string SlackUserGroupId { get; init; }

    /// <summary>Gets a value indicating whether this step removed the person; <see langword="false"/> when they were not a member.</summary>
    public bool Removed { get; init; }

    /// <summary>Gets the member count after the step, as last read.</summary>
    public int MemberCount { get; init; }
}
