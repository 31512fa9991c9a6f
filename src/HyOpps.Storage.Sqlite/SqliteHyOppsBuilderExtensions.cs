using HyOpps.Storage.Sqlite;
using HyOpps.Storage.Sqlite.Internal;
using HyOpps.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HyOpps;

/// <summary>Stores HyOpps workflows in an embedded SQLite database.</summary>
public static class SqliteHyOppsBuilderExtensions
{
    /// <summary>Stores executions in a SQLite file (WAL, one writer with group commit); replaces any other store.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <param name="connectionString">For example <c>Data Source=hyopps.db</c>.</param>
    /// <param name="configure">Configures the store.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty or malformed.</exception>
    public static IHyOppsBuilder UseSqlite(this IHyOppsBuilder builder, string connectionString, Action<SqliteStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var options = new SqliteStoreOptions { ConnectionString = connectionString };
        configure?.Invoke(options);
        SqliteWorkflowStore.Validate(options);
        builder.Services.RemoveAll<IWorkflowStore>();
        builder.Services.AddSingleton<IWorkflowStore>(_ => new SqliteWorkflowStore(options));
        return builder;
    }
}
