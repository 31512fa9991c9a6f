namespace HyOpps.Testing.Metabase;

/// <summary>A snapshot of a user held by the <see cref="MetabaseSimulator"/>.</summary>
/// <param name="Id">The user id.</param>
/// <param name="Email">The email, stored lower-cased as Metabase does.</param>
/// <param name="FirstName">The first name, if any.</param>
/// <param name="LastName">The last name, if any.</param>
/// <param name="IsActive">Whether the user is active (not deactivated).</param>
/// <param name="IsSuperuser">Whether the user is an administrator.</param>
public sealed record MetabaseSimulatorUser(int Id, string Email, string? FirstName, string? LastName, bool IsActive, bool IsSuperuser);
