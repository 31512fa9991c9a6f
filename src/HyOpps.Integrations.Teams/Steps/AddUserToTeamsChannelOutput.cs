namespace HyOpps.Integrations.Teams;

/// <summary>The output of <see cref="AddUserToTeamsChannelStep"/>.</summary>
public sealed record AddUserToTeamsChannelOutput
{
    /// <summary>Gets the Entra ID object id of the user.</summary>
    public required string TeamsUserId { get; init; }

    /// <summary>Gets the team (Microsoft 365 group) id.</summary>
    public required string TeamsTeamId { get; init; }

    /// <summary>Gets the id of the user's membership of the team.</summary>
    public required string TeamsMembershipId { get; init; }

    /// <summary>Gets the user's roles in the team as Graph reports them (<c>guest</c> for guests, <c>owner</c>, or none for members).</summary>
    public IReadOnlyList<string> TeamsRoles { get; init; } = [];

    /// <summary>Gets a value indicating whether this run added the user to the team (<see langword="false"/>: already a member).</summary>
    public bool AddedToTeam { get; init; }

    /// <summary>Gets the private channel id, when the org has one.</summary>
    public string? TeamsChannelId { get; init; }

    /// <summary>Gets the id of the user's membership of the private channel, when the org has one.</summary>
    public string? ChannelMembershipId { get; init; }

    /// <summary>Gets a value indicating whether this run added the user to the channel, when the org has one.</summary>
    public bool? AddedToChannel { get; init; }
}
