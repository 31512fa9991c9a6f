using System.Data.Common;

namespace HyOpps.SampleHost.Data;

/// <summary>What differs between the databases the sample's tables live in: connections, schema versions, a few DDL words, errors, serialisation.</summary>
internal abstract class SampleDialect : IAsyncDisposable
{
    /// <summary>Gets the column constraint of a unique, case-insensitive text column (empty where an index does it).</summary>
    public abstract string CaseInsensitiveUnique { get; }

    /// <summary>Gets an SQL expression of 32 random hexadecimal digits.</summary>
    public abstract string RandomHex { get; }

    /// <summary>
    /// Gets the clause that locks the rows a SELECT reads until the transaction ends (empty on SQLite, whose write transactions
    /// begin immediate and so exclude every other writer already).
    /// </summary>
    public virtual string ForUpdate => string.Empty;

    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    public abstract bool IsUniqueViolation(DbException exception);

    /// <summary>Gets the statement of a unique, case-insensitive index (empty where the column constraint does it).</summary>
    public abstract string CaseInsensitiveUniqueIndex(string table, string column);

    /// <summary>
    /// Serialises the transaction with every other one that takes the same key, until it ends: SQLite's write transactions are
    /// serialised already (they begin immediate); PostgreSQL's read-committed ones are not.
    /// </summary>
    public virtual Task SerializeAsync(DbConnection connection, DbTransaction transaction, string key, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Creates or upgrades the tables in one transaction; safe when several hosts start at once.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var migrations = SampleSchema.Migrations(this);
        await using var connection = await OpenAsync(cancellationToken);
        await PrepareAsync(connection, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var version = await ReadVersionAsync(connection, transaction, cancellationToken);
        if (version >= migrations.Count)
        {
            return;
        }

        foreach (var migration in migrations.Skip(version))
        {
            await ExecuteAsync(connection, migration, cancellationToken, transaction);
        }

        await WriteVersionAsync(connection, transaction, migrations.Count, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Readies a connection for the migration, outside its transaction.</summary>
    protected virtual Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Reads the schema version inside the migration's transaction, after waiting for any other host's migration.</summary>
    protected abstract Task<int> ReadVersionAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);

    protected abstract Task WriteVersionAsync(DbConnection connection, DbTransaction transaction, int version, CancellationToken cancellationToken);

    protected static async Task<int> ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken, DbTransaction? transaction = null)
    {
        await using var command = connection.Command(sql, transaction);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    protected static async Task<object?> ScalarAsync(DbConnection connection, string sql, CancellationToken cancellationToken, DbTransaction? transaction = null)
    {
        await using var command = connection.Command(sql, transaction);
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
