using HyOpps.Workflows.Storage;
using Npgsql;

namespace HyOpps.Storage.Postgres.Internal;

/// <summary>Resource leases as rows: one per resource, its fencing token incremented by every acquisition.</summary>
internal sealed partial class PostgresWorkflowStore
{
    public async ValueTask<ResourceLease?> TryAcquireResourceAsync(string resource, string owner, DateTimeOffset now, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(resource);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        var expires = now + leaseDuration;

        // Taken when there is no row, or the row's lease was released or has expired; otherwise nothing is returned.
        var token = await ScalarAsync(
            $"INSERT INTO {Schema}.resource_locks AS l (resource, owner, fencing_token, expires_at) VALUES ($1, $2, 1, $3) " +
            "ON CONFLICT (resource) DO UPDATE SET owner = excluded.owner, fencing_token = l.fencing_token + 1, expires_at = excluded.expires_at " +
            "WHERE l.owner IS NULL OR l.expires_at <= $4 RETURNING fencing_token",
            cancellationToken,
            PgValues.Text(resource), PgValues.Text(owner), PgValues.Time(expires), PgValues.Time(now)).ConfigureAwait(false);
        return token is long t ? new ResourceLease(resource, owner, t, expires) : null;
    }

    public async ValueTask<bool> RenewResourceAsync(ResourceLease lease, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return await ScalarAsync(
            $"UPDATE {Schema}.resource_locks SET expires_at = $3 WHERE resource = $1 AND fencing_token = $2 AND owner IS NOT NULL RETURNING 1",
            cancellationToken,
            PgValues.Text(lease.Resource), PgValues.Long(lease.FencingToken), PgValues.Time(expiresAt)).ConfigureAwait(false) is not null;
    }

    public async ValueTask ReleaseResourceAsync(ResourceLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await ScalarAsync(
            $"UPDATE {Schema}.resource_locks SET owner = NULL WHERE resource = $1 AND fencing_token = $2 RETURNING 1",
            cancellationToken,
            PgValues.Text(lease.Resource), PgValues.Long(lease.FencingToken)).ConfigureAwait(false);
    }

    private async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }
}
