namespace HyOpps.Storage.Postgres;

/// <summary>Options of the PostgreSQL workflow store, bound from <c>HyOpps:Postgres</c> by <c>UsePostgres()</c>.</summary>
public sealed class PostgresStoreOptions
{
    /// <summary>The configuration section the options are bound from: <c>HyOpps:Postgres</c>.</summary>
    public const string SectionName = "HyOpps:Postgres";

    /// <summary>The connection string read when <see cref="ConnectionString"/> is not set: <c>ConnectionStrings:HyOpps</c>.</summary>
    public const string ConnectionStringKey = "ConnectionStrings:HyOpps";

    /// <summary>Gets or sets the Npgsql connection string, for example <c>Host=db;Database=app;Username=hyopps;Password=...</c>.</summary>
    /// <remarks>When empty, <c>ConnectionStrings:HyOpps</c> is read from the configuration.</remarks>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>Gets or sets the schema that holds the store's tables; created when missing. The default value is <c>hyopps</c>.</summary>
    /// <remarks>Lower-case letters, digits and underscores, starting with a letter or underscore, at most 48 characters.</remarks>
    public string Schema { get; set; } = "hyopps";

    /// <summary>Gets or sets the most writes grouped into one round trip and transaction. The default value is 256.</summary>
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>Gets or sets how many grouped writes may be in flight at once, each on its own connection. The default value is 2.</summary>
    public int MaxConcurrentBatches { get; set; } = 2;
}
