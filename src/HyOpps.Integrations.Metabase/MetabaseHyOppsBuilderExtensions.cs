using HyOpps.Integrations.Metabase;
using HyOpps.Integrations.Metabase.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HyOpps;

/// <summary>Adds the Metabase integration to HyOpps.</summary>
public static class MetabaseHyOppsBuilderExtensions
{
    /// <summary>Adds the Metabase client, steps and user lookup, bound to the configuration section <c>HyOpps:Metabase</c> when an <see cref="IConfiguration"/> is registered.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IHyOppsBuilder AddMetabase(this IHyOppsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddDefaultBinding(builder.Services);
        return AddCore(builder);
    }

    /// <summary>Adds the Metabase client, steps and user lookup, bound to <c>HyOpps:Metabase</c> when present and then configured by <paramref name="configure"/>.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <param name="configure">Sets the options; runs after the configuration binding.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IHyOppsBuilder AddMetabase(this IHyOppsBuilder builder, Action<MetabaseOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        AddDefaultBinding(builder.Services);
        builder.Services.Configure(configure);
        return AddCore(builder);
    }

    /// <summary>Adds the Metabase client, steps and user lookup, bound to <paramref name="section"/>.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <param name="section">The configuration section with <c>BaseUrl</c>, <c>ApiKey</c> or <c>Username</c> and <c>Password</c>, and <c>Timeout</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IHyOppsBuilder AddMetabase(this IHyOppsBuilder builder, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        builder.Services.AddSingleton<IConfigureOptions<MetabaseOptions>>(new MetabaseConfigurationBinder(section, section.Path));
        return AddCore(builder);
    }

    private static void AddDefaultBinding(IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(DefaultBindingMarker)))
        {
            services.AddSingleton<DefaultBindingMarker>();
            services.AddSingleton<IConfigureOptions<MetabaseOptions>>(
                sp => new MetabaseConfigurationBinder(sp.GetService<IConfiguration>(), MetabaseOptions.DefaultSectionName));
        }
    }

    private static IHyOppsBuilder AddCore(IHyOppsBuilder builder)
    {
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(RegistrationMarker)))
        {
            return builder;
        }

        services.AddSingleton<RegistrationMarker>();
        services.AddOptions<MetabaseOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MetabaseOptions>, MetabaseOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MetabaseSessionCache>();
        services.TryAddTransient<MetabaseAuthenticationHandler>();

        // The per-attempt timeout lives in the resilience pipeline; the auth handler sits inside it so each retry is authenticated afresh.
        var http = services.AddHttpClient(MetabaseClient.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        http.AddResilienceHandler(MetabaseResilience.PipelineName, MetabaseResilience.Configure);
        http.AddHttpMessageHandler<MetabaseAuthenticationHandler>();

        // The default HttpClient loggers redact header values in the message but expose them raw in the structured state,
        // which would put the API key or session token into structured log sinks. The client logs each call itself.
        http.RemoveAllLoggers();
        services.TryAddTransient<IMetabaseUserLookup, MetabaseUserLookup>();
        services.TryAddTransient<CreateMetabaseAccountStep>();
        services.TryAddTransient<AddUserToMetabaseGroupStep>();
        services.TryAddTransient<RemoveUserFromMetabaseGroupStep>();
        services.TryAddTransient<DeactivateMetabaseAccountStep>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, MetabaseConfigurationCheck>());
        return builder;
    }

    private sealed class RegistrationMarker;

    private sealed class DefaultBindingMarker;
}
