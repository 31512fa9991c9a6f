using HyOpps.Storage.Postgres;
using HyOpps.Storage.Postgres.Internal;
using HyOpps.Workflows.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HyOpps;

/// <summary>Stores HyOpps workflows in PostgreSQL, shared by any number of hosts.</summary>
public static class PostgresHyOppsBuilderExtensions
{
    /// <summary>Stores executions in PostgreSQL configured by <c>ConnectionStrings:HyOpps</c> and the <c>HyOpps:Postgres</c> section; replaces any other store.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IHyOppsBuilder UsePostgres(this IHyOppsBuilder builder) => builder.UsePostgres(static _ => { });

    /// <summary>Stores executions in the PostgreSQL database of a connection string; replaces any other store.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <param name="connectionString">For example <c>Host=db;Database=app;Username=hyopps;Password=...</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty.</exception>
    public static IHyOppsBuilder UsePostgres(this IHyOppsBuilder builder, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.UsePostgres(o => o.ConnectionString = connectionString);
    }

    /// <summary>Stores executions in PostgreSQL; <c>HyOpps:Postgres</c> and <c>ConnectionStrings:HyOpps</c> are read first, then <paramref name="configure"/> runs.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <param name="configure">Configures the store.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <remarks>The options are validated when the host starts; an error names the configuration key to fix.</remarks>
    public static IHyOppsBuilder UsePostgres(this IHyOppsBuilder builder, Action<PostgresStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<PostgresStoreOptions>()
            .Configure<IServiceProvider>(static (options, services) =>
            {
                if (services.GetService<IConfiguration>() is { } configuration)
                {
                    configuration.GetSection(PostgresStoreOptions.SectionName).Bind(options, static b => b.ErrorOnUnknownConfiguration = true);
                    if (string.IsNullOrWhiteSpace(options.ConnectionString) && configuration[PostgresStoreOptions.ConnectionStringKey] is { Length: > 0 } connectionString)
                    {
                        options.ConnectionString = connectionString;
                    }
                }
            })
            .Configure(configure)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgresStoreOptions>, PostgresStoreOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.RemoveAll<IWorkflowStore>();
        services.AddSingleton<IWorkflowStore>(static sp => new PostgresWorkflowStore(
            sp.GetRequiredService<IOptions<PostgresStoreOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger<PostgresWorkflowStore>() ?? NullLogger<PostgresWorkflowStore>.Instance));
        return builder;
    }
}
