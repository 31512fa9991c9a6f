using System.Data.Common;

namespace HyOpps.SampleHost.Data;

/// <summary>
/// The sample's own tables (orgs, partner users and their pending workflow starts, accounts), apart from the workflow runtime's
/// store: a SQLite file by default, or a schema of the PostgreSQL database that several hosts share.
/// </summary>
public sealed class SampleDatabase : IAsyncDisposable
{
    private readonly SampleDialect _dialect;

    /// <summary>Initializes a new instance of the <see cref="SampleDatabase"/> class on a SQLite file.</summary>
    /// <param name="path">The file, created when missing.</param>
    public SampleDatabase(string path)
        : this(new SqliteSampleDialect(path))
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
    }

    private SampleDatabase(SampleDialect dialect)
    {
        _dialect = dialect;
    }

    /// <summary>The database on PostgreSQL, in the schema <c>sample</c> of the database the connection string names.</summary>
    public static SampleDatabase Postgres(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return new SampleDatabase(new PostgresSampleDialect(connectionString));
    }

    public Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => _dialect.OpenAsync(cancellationToken);

    public Task MigrateAsync(CancellationToken cancellationToken) => _dialect.MigrateAsync(cancellationToken);

    public ValueTask DisposeAsync() => _dialect.DisposeAsync();

    internal bool IsUniqueViolation(DbException exception) => _dialect.IsUniqueViolation(exception);

    /// <inheritdoc cref="SampleDialect.ForUpdate"/>
    internal string ForUpdate => _dialect.ForUpdate;

    /// <inheritdoc cref="SampleDialect.SerializeAsync"/>
    internal Task SerializeAsync(DbConnection connection, DbTransaction transaction, string key, CancellationToken cancellationToken)
        => _dialect.SerializeAsync(connection, transaction, key, cancellationToken);
}
