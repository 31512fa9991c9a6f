namespace HyOpps.Testing.Graph;

/// <summary>A directory user held by <see cref="GraphSimulator"/>.</summary>
/// <param name="Id">The object id.</param>
/// <param name="Mail">The email address.</param>
/// <param name="DisplayName">The display name.</param>
/// <param name="UserPrincipalName">The UPN; a guest's carries <c>#EXT#</c>.</param>
/// <param name="UserType"><c>Guest</c> or <c>Member</c>.</param>
/// <param name="ExternalUserState"><c>PendingAcceptance</c> or <c>Accepted</c> for guests, <see langword="null"/> for members.</param>
public sealed record GraphUser(string Id, string Mail, string DisplayName, string UserPrincipalName, string UserType, string? ExternalUserState)
{
    /// <summary>Gets a value indicating whether the user is a guest.</summary>
    public bool IsGuest => string.Equals(UserType, "Guest", StringComparison.Ordinal);
}
