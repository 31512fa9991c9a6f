namespace HyOpps.Testing.Graph;

/// <summary>A membership of a team or channel held by <see cref="GraphSimulator"/> (an <c>aadUserConversationMember</c>).</summary>
/// <param name="Id">The membership id.</param>
/// <param name="UserId">The member's object id.</param>
/// <param name="DisplayName">The member's display name.</param>
/// <param name="Email">The member's email address.</param>
/// <param name="Roles">The roles: <c>owner</c>, <c>guest</c>, or none for a member.</param>
public sealed record GraphConversationMember(string Id, string UserId, string DisplayName, string Email, IReadOnlyList<string> Roles);
