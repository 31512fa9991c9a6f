using System.Data.Common;
using System.Globalization;
using Npgsql;

namespace HyOpps.SampleHost.Data;

/// <summary>
/// The sample's tables in their own PostgreSQL schema, so that several hosts behind one address serve the same orgs, users and
/// accounts. Columns keep SQLite's representation (times as ISO-8601 text, flags as 0/1) so that one data-access code serves both.
/// </summary>
internal sealed class PostgresSampleDialect : SampleDialect
{
    /// <summary>The schema of the sample's tables (the runtime's live in their own, <c>hyopps</c> by default).</summary>
    public const string Schema = "sample";

    // The first key of the two-key advisory locks the sample takes (the second is a hash): never one of the runtime's locks.
    private const int LockSpace = 0x53414d50;

    private readonly NpgsqlDataSource _dataSource;

    public PostgresSampleDialect(string connectionString)
    {
        // Unqualified table names resolve to the sample's schema, so the SQL is the same as on SQLite.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = Schema };
        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    public override string CaseInsensitiveUnique => string.Empty;

    public override string RandomHex => "md5(random()::text)";

    // A row locked so also holds off inserts that reference it: their foreign-key check takes a KEY SHARE lock, which conflicts.
    public override string ForUpdate => " FOR UPDATE";

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await _dataSource.OpenConnectionAsync(cancellationToken);

    public override bool IsUniqueViolation(DbException exception) => exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public override string CaseInsensitiveUniqueIndex(string table, string column)
        => $"CREATE UNIQUE INDEX IF NOT EXISTS {table}_{column} ON {table} (lower({column}));";

    public override async Task SerializeAsync(DbConnection connection, DbTransaction transaction, string key, CancellationToken cancellationToken)
    {
        await using var command = connection.Command("SELECT pg_advisory_xact_lock(@space, hashtext(@key))", transaction).With("@space", LockSpace).With("@key", key);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    // Hosts starting at once wait on the lock for the first one's migration, then find the version current.
    protected override async Task<int> ReadVersionAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await SerializeAsync(connection, transaction, "migrate", cancellationToken);
        await ExecuteAsync(connection, $"""
            CREATE SCHEMA IF NOT EXISTS {Schema};
            CREATE TABLE IF NOT EXISTS {Schema}.schema_version (version INTEGER NOT NULL);
            """, cancellationToken, transaction);
        return Convert.ToInt32(await ScalarAsync(connection, $"SELECT COALESCE(MAX(version), 0) FROM {Schema}.schema_version", cancellationToken, transaction), CultureInfo.InvariantCulture);
    }

    protected override Task WriteVersionAsync(DbConnection connection, DbTransaction transaction, int version, CancellationToken cancellationToken)
        => ExecuteAsync(connection, $"DELETE FROM {Schema}.schema_version; INSERT INTO {Schema}.schema_version (version) VALUES ({version});", cancellationToken, transaction);
}
