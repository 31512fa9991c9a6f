using HyOpps.Storage.Postgres;

namespace HyOpps.SampleHost.Data;

/// <summary>Where the host keeps its data (setting <c>HyOpps:Storage</c>): SQLite files of its own, or one PostgreSQL database that several hosts share.</summary>
public enum SampleStorage
{
    /// <summary>Two SQLite files in the data folder (sample.db and hyopps.db); the default.</summary>
    Sqlite,

    /// <summary>The database of <c>ConnectionStrings:HyOpps</c>: the runtime's tables in schema <c>hyopps</c>, the sample's in schema <c>sample</c>.</summary>
    Postgres,
}

/// <summary>Reads <see cref="SampleStorage"/> from configuration.</summary>
public static class SampleStorageSettings
{
    /// <summary>The setting that chooses the storage.</summary>
    public const string Key = "HyOpps:Storage";

    /// <summary>Reads the storage choice; a value other than Sqlite or Postgres, or Postgres without a connection string, is an error naming the setting.</summary>
    public static SampleStorage From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration[Key];
        if (string.IsNullOrWhiteSpace(value) || string.Equals(value.Trim(), nameof(SampleStorage.Sqlite), StringComparison.OrdinalIgnoreCase))
        {
            return SampleStorage.Sqlite;
        }

        if (!string.Equals(value.Trim(), nameof(SampleStorage.Postgres), StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{Key} must be Sqlite or Postgres (was '{value}').");
        }

        if (string.IsNullOrWhiteSpace(PostgresConnectionString(configuration)))
        {
            throw new InvalidOperationException($"{Key} is Postgres, so {PostgresStoreOptions.ConnectionStringKey} must be set to the PostgreSQL connection string.");
        }

        return SampleStorage.Postgres;
    }

    /// <summary>Gets the PostgreSQL connection string (<c>ConnectionStrings:HyOpps</c>), shared by the runtime's store and the sample's tables.</summary>
    public static string? PostgresConnectionString(IConfiguration configuration) => configuration[PostgresStoreOptions.ConnectionStringKey];
}
