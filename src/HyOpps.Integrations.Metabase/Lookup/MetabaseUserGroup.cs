namespace HyOpps.Integrations.Metabase;

/// <summary>A group a Metabase user is in.</summary>
/// <param name="Id">The group id (the <c>id</c> of a <c>user_group_memberships</c> entry).</param>
/// <param name="Name">The group name, or <see langword="null"/> when the group list did not name it.</param>
/// <param name="IsGroupManager">Whether the user manages the group, when Metabase reports it (advanced permissions only).</param>
public sealed record MetabaseUserGroup(int Id, string? Name, bool? IsGroupManager);
