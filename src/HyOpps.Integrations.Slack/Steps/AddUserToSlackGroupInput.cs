namespace HyOpps.Integrations.Slack;

/// <summary>The input of <see cref="AddUserToSlackGroupStep"/>: who joins which user group (and optionally which channel).</summary>
public sealed record AddUserToSlackGroupInput
{
    /// <summary>Gets the person's email, by which their Slack account is looked up (compared trimmed and lower-cased).</summary>
    public required string Email { get; init; }

    /// <summary>Gets the person's display name, used when they are invited to the workspace.</summary>
    public required string DisplayName { get; init; }

    /// <summary>Gets the Slack user group id (<c>S...</c>).</summary>
    public required string UserGroupId { get; init; }

    /// <summary>Gets the optional Slack channel id (<c>C...</c>) to invite the person to.</summary>
    public string? ChannelId { get; init; }
}
