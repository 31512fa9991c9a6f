using HyOpps.Integrations.Atlassian;
using HyOpps.Integrations.Atlassian.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HyOpps;

/// <summary>Adds the Atlassian integration (client and steps) to HyOpps.</summary>
public static class AtlassianHyOppsBuilderExtensions
{
    /// <summary>Adds the Atlassian integration, bound to the configuration section <c>HyOpps:Atlassian</c> when an <see cref="IConfiguration"/> is registered.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IHyOppsBuilder AddAtlassian(this IHyOppsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<AtlassianOptions>().Configure<IServiceProvider>(static (options, services) =>
        {
            if (services.GetService(typeof(IConfiguration)) is IConfiguration configuration)
            {
                Bind(options, configuration.GetSection(AtlassianOptions.DefaultSectionName));
            }
        });
        return AddCore(builder);
    }

    /// <summary>Adds the Atlassian integration configured in code.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IHyOppsBuilder AddAtlassian(this IHyOppsBuilder builder, Action<AtlassianOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<AtlassianOptions>().Configure(configure);
        return AddCore(builder);
    }

    /// <summary>Adds the Atlassian integration bound to a configuration section; unknown keys are errors.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <param name="section">The section, for example <c>configuration.GetSection("HyOpps:Atlassian")</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IHyOppsBuilder AddAtlassian(this IHyOppsBuilder builder, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        builder.Services.AddOptions<AtlassianOptions>().Configure(options => Bind(options, section));
        return AddCore(builder);
    }

    private static void Bind(AtlassianOptions options, IConfigurationSection section)
    {
        options.SectionPath = section.Path;
        section.Bind(options, static o => o.ErrorOnUnknownConfiguration = true);
    }

    private static IHyOppsBuilder AddCore(IHyOppsBuilder builder)
    {
        var services = builder.Services;
        if (services.Any(static d => d.ServiceType == typeof(AtlassianMarker)))
        {
            return builder;
        }

        services.AddSingleton<AtlassianMarker>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<AtlassianOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AtlassianOptions>, AtlassianOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, AtlassianConfigurationCheck>());
        AtlassianHttp.AddClients(services);
        services.TryAddTransient(static sp => new AtlassianClient(
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<IOptionsMonitor<AtlassianOptions>>(),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddTransient<AddUserToAtlassianGroupStep>();
        services.TryAddTransient<RemoveUserFromAtlassianGroupStep>();
        return builder;
    }

    private sealed class AtlassianMarker;
}
