using HyOpps.Workflows.Storage;

namespace HyOpps.Storage.Sqlite.Internal;

/// <summary>Resource leases as rows of <c>resource_locks</c>, written through the one writer like every other change.</summary>
internal sealed partial class SqliteWorkflowStore
{
    public async ValueTask<ResourceLease?> TryAcquireResourceAsync(string resource, string owner, DateTimeOffset now, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(resource);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        var expires = now + leaseDuration;
        var writer = await WriterAsync(cancellationToken).ConfigureAwait(false);
        var token = await writer.WriteAsync(w =>
        {
            // Taken when there is no row, or the row's lease was released or has expired.
            var take = w.Command(
                "INSERT INTO resource_locks (resource, owner, fencing_token, expires_at) VALUES (@r, @o, 1, @e) " +
                "ON CONFLICT (resource) DO UPDATE SET owner = excluded.owner, fencing_token = fencing_token + 1, expires_at = excluded.expires_at " +
                "WHERE owner IS NULL OR expires_at <= @now RETURNING fencing_token");
            take.Parameters.AddWithValue("@r", resource);
            take.Parameters.AddWithValue("@o", owner);
            take.Parameters.AddWithValue("@e", expires.ToUnixTimeMilliseconds());
            take.Parameters.AddWithValue("@now", now.ToUnixTimeMilliseconds());
            return take.ExecuteScalar() is long t ? t : (long?)null;
        }, cancellationToken).ConfigureAwait(false);
        return token is { } fencing ? new ResourceLease(resource, owner, fencing, expires) : null;
    }

    public async ValueTask<bool> RenewResourceAsync(ResourceLease lease, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var writer = await WriterAsync(cancellationToken).ConfigureAwait(false);
        return await writer.WriteAsync(w =>
        {
            var renew = w.Command("UPDATE resource_locks SET expires_at = @e WHERE resource = @r AND fencing_token = @t AND owner IS NOT NULL");
            renew.Parameters.AddWithValue("@r", lease.Resource);
            renew.Parameters.AddWithValue("@t", lease.FencingToken);
            renew.Parameters.AddWithValue("@e", expiresAt.ToUnixTimeMilliseconds());
            return renew.ExecuteNonQuery() == 1;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask ReleaseResourceAsync(ResourceLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var writer = await WriterAsync(cancellationToken).ConfigureAwait(false);
        await writer.WriteAsync(w =>
        {
            var release = w.Command("UPDATE resource_locks SET owner = NULL WHERE resource = @r AND fencing_token = @t");
            release.Parameters.AddWithValue("@r", lease.Resource);
            release.Parameters.AddWithValue("@t", lease.FencingToken);
            return release.ExecuteNonQuery();
        }, cancellationToken).ConfigureAwait(false);
    }
}
