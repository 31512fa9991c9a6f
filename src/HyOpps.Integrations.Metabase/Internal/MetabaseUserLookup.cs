namespace HyOpps.Integrations.Metabase.Internal;

/// <summary>Reads a user by id or email, then their groups from <c>GET /api/user/:id</c>, named from the group list.</summary>
internal sealed class MetabaseUserLookup(
    IHttpClientFactory httpClientFactory,
    IOptionsMonitor<MetabaseOptions> options,
    ILogger<MetabaseUserLookup> logger,
    TimeProvider timeProvider) : IMetabaseUserLookup
{
    public async Task<MetabaseUser?> GetUserAsync(int userId, CancellationToken cancellationToken = default)
    {
        var client = CreateClient();
        var user = await client.GetUserAsync(userId, cancellationToken).ConfigureAwait(false);
        return user is null ? null : await ToUserAsync(client, user, cancellationToken).ConfigureAwait(false);
    }

    public async Task<MetabaseUser?> FindUserByEmailAsync(string email, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        var client = CreateClient();
        var found = await client.FindUserByEmailAsync(email, cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            return null;
        }

        var user = await client.GetUserAsync(found.Id, cancellationToken).ConfigureAwait(false);
        return user is null ? null : await ToUserAsync(client, user, cancellationToken).ConfigureAwait(false);
    }

    private MetabaseClient CreateClient()
    {
        MetabaseOptions settings;
        try
        {
            settings = options.CurrentValue;
        }
        catch (OptionsValidationException ex)
        {
            throw new InvalidOperationException($"The Metabase settings are invalid: {ex.Message}", ex);
        }

        if (!settings.IsConfigured)
        {
            throw new InvalidOperationException(settings.NotConfiguredMessage);
        }

        return new MetabaseClient(httpClientFactory.CreateClient(MetabaseClient.HttpClientName), settings, logger, timeProvider);
    }

    private static async Task<MetabaseUser> ToUserAsync(MetabaseClient client, MetabaseUserDto user, CancellationToken cancellationToken)
    {
        var groups = await client.ListGroupsAsync(cancellationToken).ConfigureAwait(false);
        var names = groups.GroupBy(g => g.Id).ToDictionary(g => g.Key, g => g.First().Name);
        var memberships = user.UserGroupMemberships is { } list
            ? list.Select(m => new MetabaseUserGroup(m.Id, names.GetValueOrDefault(m.Id), m.IsGroupManager))
            : (user.GroupIds ?? []).Select(id => new MetabaseUserGroup(id, names.GetValueOrDefault(id), null));
        return new MetabaseUser(
            user.Id,
            user.Email ?? string.Empty,
            user.FirstName,
            user.LastName,
            user.IsActive,
            user.IsSuperuser,
            [.. memberships.OrderBy(g => g.Id)]);
    }
}
