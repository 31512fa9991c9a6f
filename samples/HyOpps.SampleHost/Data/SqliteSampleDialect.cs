using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace HyOpps.SampleHost.Data;

/// <summary>The sample's tables in one SQLite file, versioned by <c>PRAGMA user_version</c>.</summary>
internal sealed class SqliteSampleDialect(string path) : SampleDialect
{
    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        ForeignKeys = true,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    public override string CaseInsensitiveUnique => "UNIQUE COLLATE NOCASE";

    public override string RandomHex => "lower(hex(randomblob(16)))";

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public override bool IsUniqueViolation(DbException exception)
        => exception is SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 };

    public override string CaseInsensitiveUniqueIndex(string table, string column) => string.Empty;

    protected override Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken)
        => ExecuteAsync(connection, "PRAGMA journal_mode=WAL;", cancellationToken);

    // The transaction begins immediate, so a second process waits here for the first one's migration.
    protected override async Task<int> ReadVersionAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
        => Convert.ToInt32(await ScalarAsync(connection, "PRAGMA user_version;", cancellationToken, transaction), CultureInfo.InvariantCulture);

    protected override Task WriteVersionAsync(DbConnection connection, DbTransaction transaction, int version, CancellationToken cancellationToken)
        => ExecuteAsync(connection, $"PRAGMA user_version = {version};", cancellationToken, transaction);
}
