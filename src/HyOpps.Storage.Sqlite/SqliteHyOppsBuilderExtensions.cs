using HyOpps.Storage.Sqlite;
using HyOpps.Storage.Sqlite.Internal;
using HyOpps.Workflows.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HyOpps;

/// <summary>Stores HyOpps workflows in an embedded SQLite database.</summary>
public static class SqliteHyOppsBuilderExtensions
{
    /// <summary>The name of the connection string <see cref="UseSqlite(IHyOppsBuilder)"/> reads: <c>ConnectionStrings:HyOpps</c>.</summary>
    public const string ConnectionStringName = "HyOpps";

    /// <summary>The configuration section of the store's options: <c>HyOpps:Sqlite</c>.</summary>
    public const string SectionName = "HyOpps:Sqlite";

    /// <summary>Stores executions in a SQLite file named by <c>ConnectionStrings:HyOpps</c>, with options from <c>HyOpps:Sqlite</c>; replaces any other store.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <remarks>The options are validated when the host starts; a missing connection string fails start-up naming the key.</remarks>
    public static IHyOppsBuilder UseSqlite(this IHyOppsBuilder builder) => UseSqliteCore(builder, null);

    /// <summary>Stores executions in a SQLite file (WAL, one writer with group commit); replaces any other store.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <param name="connectionString">For example <c>Data Source=hyopps.db</c>; it wins over <c>ConnectionStrings:HyOpps</c>.</param>
    /// <param name="configure">Changes the store's options after configuration is bound.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty or malformed.</exception>
    public static IHyOppsBuilder UseSqlite(this IHyOppsBuilder builder, string connectionString, Action<SqliteStoreOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        SqliteStoreOptionsValidator.ThrowIfMalformed(connectionString, nameof(connectionString));
        return UseSqliteCore(builder, o =>
        {
            o.ConnectionString = connectionString;
            configure?.Invoke(o);
        });
    }

    /// <summary>Stores executions in a SQLite file configured in code, over <c>ConnectionStrings:HyOpps</c> and <c>HyOpps:Sqlite</c>; replaces any other store.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <param name="configure">Sets the store's options, for example the connection string.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IHyOppsBuilder UseSqlite(this IHyOppsBuilder builder, Action<SqliteStoreOptions> configure)
        => UseSqliteCore(builder, configure ?? throw new ArgumentNullException(nameof(configure)));

    private static IHyOppsBuilder UseSqliteCore(IHyOppsBuilder builder, Action<SqliteStoreOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (!services.Any(d => d.ServiceType == typeof(SqliteStoreOptionsValidator)))
        {
            // Configuration first, so that code passed to UseSqlite wins over it.
            services.AddSingleton<IConfigureOptions<SqliteStoreOptions>>(sp => new ConfigureSqliteFromConfiguration(sp.GetService<IConfiguration>()));
            services.AddSingleton<SqliteStoreOptionsValidator>();
            services.AddSingleton<IValidateOptions<SqliteStoreOptions>>(sp => sp.GetRequiredService<SqliteStoreOptionsValidator>());
            services.AddOptions<SqliteStoreOptions>().ValidateOnStart();
        }

        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.RemoveAll<IWorkflowStore>();
        services.AddSingleton<IWorkflowStore>(sp => new SqliteWorkflowStore(sp.GetRequiredService<IOptions<SqliteStoreOptions>>().Value));
        return builder;
    }
}
