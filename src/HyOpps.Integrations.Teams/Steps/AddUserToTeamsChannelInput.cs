namespace HyOpps.Integrations.Teams;

/// <summary>The input of <see cref="AddUserToTeamsChannelStep"/>: which directory user joins which team (and optionally which private channel).</summary>
public sealed record AddUserToTeamsChannelInput
{
    /// <summary>Gets the directory (Entra) user id of the guest, typically the output of <see cref="InviteToTeamsStep"/>.</summary>
    public required string TeamsUserId { get; init; }

    /// <summary>Gets the team id (the team's group id).</summary>
    public required string TeamId { get; init; }

    /// <summary>Gets the optional private channel id within the team.</summary>
    public string? ChannelId { get; init; }
}
