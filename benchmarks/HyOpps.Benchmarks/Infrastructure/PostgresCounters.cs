using Npgsql;

namespace HyOpps.Benchmarks.Infrastructure;

/// <summary>The server's own counters of one database: committed transactions, rows written, HOT updates and WAL bytes.</summary>
/// <remarks>Read before and after a run, their difference per step shows what a step costs the server, whatever the client believes it sends.</remarks>
internal sealed record PostgresCounters(long Transactions, long Inserted, long Updated, long HotUpdated, long WalBytes)
{
    public static async Task<PostgresCounters> ReadAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();

        // Read the counters as they are now, not a snapshot cached earlier in this session.
        await using (var flush = new NpgsqlCommand("SELECT pg_stat_clear_snapshot()", connection))
        {
            await flush.ExecuteNonQueryAsync();
        }

        await using var command = new NpgsqlCommand(
            "SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()), " +
            "coalesce(sum(n_tup_ins), 0)::bigint, coalesce(sum(n_tup_upd), 0)::bigint, coalesce(sum(n_tup_hot_upd), 0)::bigint, " +
            "pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint FROM pg_stat_user_tables", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new PostgresCounters(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
    }

    public static PostgresCounters operator -(PostgresCounters a, PostgresCounters b)
        => new(a.Transactions - b.Transactions, a.Inserted - b.Inserted, a.Updated - b.Updated, a.HotUpdated - b.HotUpdated, a.WalBytes - b.WalBytes);

    /// <summary>Describes the counters per step.</summary>
    public string PerStep(int steps) => FormattableString.Invariant(
        $"{(double)Transactions / steps:F3} transactions, {(double)Inserted / steps:F2} rows inserted and {(double)Updated / steps:F2} updated ({(Updated == 0 ? 0 : 100.0 * HotUpdated / Updated):F0}% HOT), {(double)WalBytes / steps:F0} WAL bytes per step");
}
