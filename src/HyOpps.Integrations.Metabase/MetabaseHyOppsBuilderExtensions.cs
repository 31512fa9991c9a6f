using HyOpps.Integrations.Metabase;
using HyOpps.Integrations.Metabase.Internal;
using HyOpps.Integrations.Shared;
using HyOpps.Workflows;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HyOpps;

/// <summary>Adds the Metabase integration to HyOpps.</summary>
public static class MetabaseHyOppsBuilderExtensions
{
    /// <summary>Adds the Metabase steps and user lookup, bound to the configuration section <c>HyOpps:Metabase</c> when an <see cref="IConfiguration"/> is registered.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IHyOppsBuilder AddMetabase(this IHyOppsBuilder builder) => AddCore(builder, section: null, configure: null);

    /// <summary>Adds the Metabase steps and user lookup, bound to <c>HyOpps:Metabase</c> when present and then configured by <paramref name="configure"/>.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <param name="configure">Sets the options; runs after the configuration binding.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IHyOppsBuilder AddMetabase(this IHyOppsBuilder builder, Action<MetabaseOptions> configure)
        => AddCore(builder, section: null, configure ?? throw new ArgumentNullException(nameof(configure)));

    /// <summary>Adds the Metabase steps and user lookup, bound to <paramref name="section"/>; unknown keys are errors.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <param name="section">The configuration section with <c>BaseUrl</c>, <c>ApiKey</c> or <c>Username</c> and <c>Password</c>, and <c>Timeout</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IHyOppsBuilder AddMetabase(this IHyOppsBuilder builder, IConfigurationSection section)
        => AddCore(builder, section ?? throw new ArgumentNullException(nameof(section)), configure: null);

    private static IHyOppsBuilder AddCore(IHyOppsBuilder builder, IConfigurationSection? section, Action<MetabaseOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (!IntegrationOptions.Add(services, MetabaseOptions.DefaultSectionName, section, configure, static (o, path) => o.SectionPath = path))
        {
            return builder;
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MetabaseOptions>, MetabaseOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MetabaseSessionCache>();
        services.TryAddTransient<MetabaseAuthenticationHandler>();

        // The auth handler sits inside the resilience pipeline so each retry is authenticated afresh.
        IntegrationHttp.AddClient(services, MetabaseClient.HttpClientName)
            .AddResilienceHandler(MetabaseResilience.PipelineName, MetabaseResilience.Configure);
        services.AddHttpClient(MetabaseClient.HttpClientName).AddHttpMessageHandler<MetabaseAuthenticationHandler>();
        services.TryAddTransient<IMetabaseUserLookup, MetabaseUserLookup>();
        services.TryAddTransient<CreateMetabaseAccountStep>();
        services.TryAddTransient<AddUserToMetabaseGroupStep>();
        services.TryAddTransient<RemoveUserFromMetabaseGroupStep>();
        services.TryAddTransient<DeactivateMetabaseAccountStep>();
        IntegrationConfigurationChecks.Add<MetabaseConfigurationCheck>(services);
        return builder;
    }
}
