namespace HyOpps.Integrations.Metabase;

/// <summary>A Metabase user and the groups they are in.</summary>
/// <param name="Id">The Metabase user id.</param>
/// <param name="Email">The email, as Metabase stores it (lower-cased).</param>
/// <param name="FirstName">The first name, if any.</param>
/// <param name="LastName">The last name, if any.</param>
/// <param name="IsActive">Whether the user is active; <see langword="false"/> when deactivated.</param>
/// <param name="IsSuperuser">Whether the user is a Metabase administrator.</param>
/// <param name="Groups">The groups from <c>user_group_memberships</c>, by id.</param>
public sealed record MetabaseUser(
    int Id,
    string Email,
    string? FirstName,
    string? LastName,
    bool IsActive,
    bool IsSuperuser,
    IReadOnlyList<MetabaseUserGroup> Groups);
