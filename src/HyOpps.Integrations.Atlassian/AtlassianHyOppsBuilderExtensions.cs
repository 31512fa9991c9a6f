using HyOpps.Integrations.Atlassian;
using HyOpps.Integrations.Atlassian.Internal;
using HyOpps.Integrations.Shared;
using HyOpps.Workflows;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyOpps;

/// <summary>Adds the Atlassian integration (steps and settings) to HyOpps.</summary>
public static class AtlassianHyOppsBuilderExtensions
{
    /// <summary>Adds the Atlassian integration, bound to the configuration section <c>HyOpps:Atlassian</c> when an <see cref="IConfiguration"/> is registered.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IHyOppsBuilder AddAtlassian(this IHyOppsBuilder builder) => AddCore(builder, section: null, configure: null);

    /// <summary>Adds the Atlassian integration, bound to <c>HyOpps:Atlassian</c> when present and then configured by <paramref name="configure"/>.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <param name="configure">Configures the options; runs after the configuration binding.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IHyOppsBuilder AddAtlassian(this IHyOppsBuilder builder, Action<AtlassianOptions> configure)
        => AddCore(builder, section: null, configure ?? throw new ArgumentNullException(nameof(configure)));

    /// <summary>Adds the Atlassian integration bound to a configuration section; unknown keys are errors.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <param name="section">The section, for example <c>configuration.GetSection("HyOpps:Atlassian")</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IHyOppsBuilder AddAtlassian(this IHyOppsBuilder builder, IConfigurationSection section)
        => AddCore(builder, section ?? throw new ArgumentNullException(nameof(section)), configure: null);

    private static IHyOppsBuilder AddCore(IHyOppsBuilder builder, IConfigurationSection? section, Action<AtlassianOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (!IntegrationOptions.Add(services, AtlassianOptions.DefaultSectionName, section, configure, static (o, path) => o.SectionPath = path))
        {
            return builder;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AtlassianOptions>, AtlassianOptionsValidator>());
        IntegrationConfigurationChecks.Add<AtlassianConfigurationCheck>(services);
        AtlassianHttp.AddClients(services);
        services.TryAddTransient(static sp => new AtlassianClient(
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<IOptionsMonitor<AtlassianOptions>>(),
            sp.GetRequiredService<TimeProvider>()));
        // The steps' constructors take the internal client, so they are built here rather than by activation.
        services.TryAddTransient(static sp => new AddUserToAtlassianGroupStep(
            sp.GetRequiredService<AtlassianClient>(),
            sp.GetRequiredService<IOptionsMonitor<AtlassianOptions>>(),
            sp.GetRequiredService<ILogger<AddUserToAtlassianGroupStep>>()));
        services.TryAddTransient(static sp => new RemoveUserFromAtlassianGroupStep(
            sp.GetRequiredService<AtlassianClient>(),
            sp.GetRequiredService<IOptionsMonitor<AtlassianOptions>>(),
            sp.GetRequiredService<ILogger<RemoveUserFromAtlassianGroupStep>>()));
        return builder;
    }
}
