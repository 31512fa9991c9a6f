namespace HyOpps.Testing.Graph;

/// <summary>An invitation <see cref="GraphSimulator"/> accepted through <c>POST /invitations</c>.</summary>
/// <param name="Id">The invitation id.</param>
/// <param name="InvitedUserEmailAddress">The invited email address.</param>
/// <param name="InvitedUserId">The object id of the invited (new or existing) user.</param>
/// <param name="InviteRedirectUrl">Where the guest lands after redeeming.</param>
/// <param name="SendInvitationMessage">Whether an invitation email was sent.</param>
/// <param name="Status">The status answered: <c>PendingAcceptance</c> or <c>Completed</c>.</param>
public sealed record GraphInvitation(
    string Id, string InvitedUserEmailAddress, string InvitedUserId, string InviteRedirectUrl, bool SendInvitationMessage, string Status);
