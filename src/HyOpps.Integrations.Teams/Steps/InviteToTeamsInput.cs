namespace HyOpps.Integrations.Teams;

/// <summary>The input of <see cref="InviteToTeamsStep"/>: the person invited into the tenant as a guest.</summary>
public sealed record InviteToTeamsInput
{
    /// <summary>Gets the person's email (compared trimmed and lower-cased).</summary>
    public required string Email { get; init; }

    /// <summary>Gets the guest's display name.</summary>
    public required string DisplayName { get; init; }
}
