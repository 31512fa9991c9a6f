using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace HyOpps.Storage.Sqlite.Internal;

/// <summary>Validates the store's options at start-up, naming each setting by its configuration key.</summary>
internal sealed class SqliteStoreOptionsValidator : IValidateOptions<SqliteStoreOptions>
{
    private const string Section = SqliteHyOppsBuilderExtensions.SectionName;
    private const string ConnectionStringKey = $"ConnectionStrings:{SqliteHyOppsBuilderExtensions.ConnectionStringName}";

    public ValidateOptionsResult Validate(string? name, SqliteStoreOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            errors.Add($"The SQLite store has no connection string: set {ConnectionStringKey} (for example \"Data Source=hyopps.db\"), or pass one to UseSqlite.");
        }
        else if (Malformed(options.ConnectionString) is { } problem)
        {
            errors.Add($"{ConnectionStringKey} (or {Section}:ConnectionString): {problem}");
        }

        if (options.MaxBatchSize < 1)
        {
            errors.Add($"{Section}:MaxBatchSize must be at least 1 (was '{options.MaxBatchSize}').");
        }

        if (options.BusyTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{Section}:BusyTimeout must be positive (was '{options.BusyTimeout}').");
        }

        if (!Enum.IsDefined(options.Synchronous))
        {
            errors.Add($"{Section}:Synchronous must be Full or Normal (was '{options.Synchronous}').");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static void ThrowIfMalformed(string connectionString, string parameterName)
    {
        if (Malformed(connectionString) is { } problem)
        {
            throw new ArgumentException(problem, parameterName);
        }
    }

    private static string? Malformed(string connectionString)
    {
        try
        {
            return string.IsNullOrWhiteSpace(new SqliteConnectionStringBuilder(connectionString).DataSource)
                ? "The SQLite connection string names no Data Source (for example \"Data Source=hyopps.db\")."
                : null;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return $"The SQLite connection string is malformed: {ex.Message}";
        }
    }
}
