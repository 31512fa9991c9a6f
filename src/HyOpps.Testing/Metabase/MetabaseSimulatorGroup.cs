namespace HyOpps.Testing.Metabase;

/// <summary>A snapshot of a permission group held by the <see cref="MetabaseSimulator"/>.</summary>
/// <param name="Id">The group id.</param>
/// <param name="Name">The group name.</param>
/// <param name="MagicGroupType">The magic type (<c>all-internal-users</c> or <c>admin</c>), or <see langword="null"/> for an ordinary group.</param>
public sealed record MetabaseSimulatorGroup(int Id, string Name, string? MagicGroupType);
