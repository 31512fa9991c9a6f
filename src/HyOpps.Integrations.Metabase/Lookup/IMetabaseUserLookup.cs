namespace HyOpps.Integrations.Metabase;

/// <summary>Looks up Metabase users with their group memberships, for diagnostics such as a host's debug endpoint.</summary>
public interface IMetabaseUserLookup
{
    /// <summary>Gets a user by id with the groups Metabase reports in <c>user_group_memberships</c>.</summary>
    /// <param name="userId">The Metabase user id.</param>
    /// <param name="cancellationToken">The token to cancel the lookup.</param>
    /// <returns>The user, or <see langword="null"/> when Metabase has no user with that id.</returns>
    /// <exception cref="InvalidOperationException">Metabase is not configured, or its settings are invalid.</exception>
    /// <exception cref="MetabaseApiException">Metabase failed or refused the request.</exception>
    Task<MetabaseUser?> GetUserAsync(int userId, CancellationToken cancellationToken = default);

    /// <summary>Finds a user by exact email (case-insensitive), active or deactivated, with their groups.</summary>
    /// <param name="email">The email.</param>
    /// <param name="cancellationToken">The token to cancel the lookup.</param>
    /// <returns>The user, or <see langword="null"/> when no user has that email.</returns>
    /// <exception cref="ArgumentException"><paramref name="email"/> is null or blank.</exception>
    /// <exception cref="InvalidOperationException">Metabase is not configured, or its settings are invalid.</exception>
    /// <exception cref="MetabaseApiException">Metabase failed or refused the request.</exception>
    Task<MetabaseUser?> FindUserByEmailAsync(string email, CancellationToken cancellationToken = default);
}
