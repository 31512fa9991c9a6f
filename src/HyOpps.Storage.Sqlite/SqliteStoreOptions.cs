namespace HyOpps.Storage.Sqlite;

/// <summary>Options of the SQLite workflow store.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>Gets or sets the connection string, for example <c>Data Source=hyopps.db</c>.</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>Gets or sets the <c>synchronous</c> pragma of the writer. The default value is <see cref="SqliteSynchronousMode.Full"/>.</summary>
    /// <remarks><see cref="SqliteSynchronousMode.Normal"/> in WAL mode survives a process crash but may lose the last commits on power loss.</remarks>
    public SqliteSynchronousMode Synchronous { get; set; } = SqliteSynchronousMode.Full;

    /// <summary>Gets or sets how long a connection waits for a lock held by another process. The default value is 30 seconds.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the most writes grouped into one transaction. The default value is 512.</summary>
    public int MaxBatchSize { get; set; } = 512;
}
