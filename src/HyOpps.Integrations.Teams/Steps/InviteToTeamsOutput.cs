namespace HyOpps.Integrations.Teams;

/// <summary>The output of <see cref="InviteToTeamsStep"/> (<c>{"teams_user_id": ..., "invite_redeem_url": ..., "invitation_status": ...}</c>).</summary>
public sealed record InviteToTeamsOutput
{
    /// <summary>Gets the Entra ID object id of the guest user.</summary>
    public required string TeamsUserId { get; init; }

    /// <summary>Gets the email address the guest was invited with.</summary>
    public required string Email { get; init; }

    /// <summary>Gets the URL the guest redeems the invitation with, when an invitation was sent in this run.</summary>
    public string? InviteRedeemUrl { get; init; }

    /// <summary>Gets the invitation status: <c>PendingAcceptance</c>, <c>Completed</c>, <c>InProgress</c> or <c>Error</c>.</summary>
    public string? InvitationStatus { get; init; }

    /// <summary>Gets a value indicating whether the user already existed in the directory, so no invitation was sent.</summary>
    public bool ExistingUser { get; init; }
}
