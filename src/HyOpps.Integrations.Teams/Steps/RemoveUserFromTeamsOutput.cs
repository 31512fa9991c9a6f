namespace HyOpps.Integrations.Teams;

/// <summary>The output of <see cref="RemoveUserFromTeamsStep"/>.</summary>
public sealed record RemoveUserFromTeamsOutput
{
    /// <summary>Gets the team (Microsoft 365 group) id.</summary>
    public required string TeamsTeamId { get; init; }

    /// <summary>Gets the Entra ID object id of the user, when the user was found.</summary>
    public string? TeamsUserId { get; init; }

    /// <summary>Gets the id of the membership that was removed, when there was one.</summary>
    public string? TeamsMembershipId { get; init; }

    /// <summary>Gets a value indicating whether this run removed a membership (<see langword="false"/>: the user was not a member).</summary>
    public bool Removed { get; init; }
}
