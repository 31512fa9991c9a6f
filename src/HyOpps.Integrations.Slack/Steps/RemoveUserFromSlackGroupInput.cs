namespace HyOpps.Integrations.Slack;

/// <summary>The input of <see cref="RemoveUserFromSlackGroupStep"/>: the Slack user the person's onboarding recorded, and the user group.</summary>
public sealed record RemoveUserFromSlackGroupInput
{
    /// <summary>Gets the Slack user id (<c>U...</c>) recorded by the person's onboarding; never one found afresh by email.</summary>
    public required string SlackUserId { get; init; }

    /// <summary>Gets the person's email, named in messages.</summary>
    public required string Email { get; init; }

    /// <summary>Gets the Slack user group id (<c>S...</c>).</summary>
    public required string UserGroupId { get; init; }
}
