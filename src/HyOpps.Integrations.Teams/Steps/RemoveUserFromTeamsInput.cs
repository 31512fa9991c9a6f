namespace HyOpps.Integrations.Teams;

/// <summary>The input of <see cref="RemoveUserFromTeamsStep"/>: the directory user the person's onboarding recorded, and the team.</summary>
public sealed record RemoveUserFromTeamsInput
{
    /// <summary>Gets the directory (Entra) user id recorded by the person's onboarding; never one found afresh by email.</summary>
    public required string TeamsUserId { get; init; }

    /// <summary>Gets the person's email, named in messages.</summary>
    public required string Email { get; init; }

    /// <summary>Gets the team id (the team's group id).</summary>
    public required string TeamId { get; init; }
}
