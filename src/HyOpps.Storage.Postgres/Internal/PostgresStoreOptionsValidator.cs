using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace HyOpps.Storage.Postgres.Internal;

/// <summary>Fails start-up on missing or malformed PostgreSQL settings, naming the configuration key.</summary>
internal sealed partial class PostgresStoreOptionsValidator : IValidateOptions<PostgresStoreOptions>
{
    private const string Section = PostgresStoreOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, PostgresStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add($"No PostgreSQL connection string: set {PostgresStoreOptions.ConnectionStringKey} (or {Section}:ConnectionString), for example \"Host=localhost;Database=hyopps;Username=hyopps;Password=...\".");
        }
        else
        {
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
                if (string.IsNullOrWhiteSpace(builder.Host))
                {
                    failures.Add($"The PostgreSQL connection string ({PostgresStoreOptions.ConnectionStringKey} or {Section}:ConnectionString) names no Host.");
                }
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException)
            {
                // Npgsql names the bad keyword or value, never the whole string: it may hold a password.
                failures.Add($"The PostgreSQL connection string ({PostgresStoreOptions.ConnectionStringKey} or {Section}:ConnectionString) is malformed: {ex.Message}");
            }
        }

        if (options.Schema is null || !SchemaName().IsMatch(options.Schema))
        {
            failures.Add($"{Section}:Schema must be lower-case letters, digits and underscores, starting with a letter or underscore, at most 48 characters (was '{options.Schema}').");
        }

        if (options.MaxBatchSize is < 1 or > 10_000)
        {
            failures.Add($"{Section}:MaxBatchSize must be between 1 and 10000 (was {options.MaxBatchSize}).");
        }

        if (options.MaxConcurrentBatches is < 1 or > 64)
        {
            failures.Add($"{Section}:MaxConcurrentBatches must be between 1 and 64 (was {options.MaxConcurrentBatches}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,47}$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaName();
}
