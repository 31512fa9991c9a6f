using HyOpps.Integrations.Teams;
using HyOpps.Integrations.Teams.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Graph;

namespace HyOpps;

/// <summary>Adds the Microsoft Teams integration (Microsoft Graph guest invitations and team membership) to HyOpps.</summary>
public static class TeamsHyOppsBuilderExtensions
{
    /// <summary>Adds the Teams steps, binding the <c>HyOpps:Teams</c> configuration section when an <see cref="IConfiguration"/> is registered.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IHyOppsBuilder AddTeams(this IHyOppsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<TeamsOptions>, DefaultSectionConfigure>());
        return AddCore(builder, TeamsOptions.DefaultSectionName);
    }

    /// <summary>Adds the Teams steps with settings set in code.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <param name="configure">Sets the Teams settings.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IHyOppsBuilder AddTeams(this IHyOppsBuilder builder, Action<TeamsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return AddCore(builder, settingsPath: null);
    }

    /// <summary>Adds the Teams steps with settings bound from a configuration section; unknown keys are errors.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <param name="section">The section, for example <c>configuration.GetSection("HyOpps:Teams")</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IHyOppsBuilder AddTeams(this IHyOppsBuilder builder, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        builder.Services.AddOptions<TeamsOptions>().Bind(section, static o => o.ErrorOnUnknownConfiguration = true);
        return AddCore(builder, section.Path);
    }

    private static IHyOppsBuilder AddCore(IHyOppsBuilder builder, string? settingsPath)
    {
        var services = builder.Services;
        if (services.Any(static d => d.ServiceType == typeof(TeamsMarker)))
        {
            return builder;
        }

        services.AddSingleton<TeamsMarker>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<TeamsOptions>()
            .PostConfigure(o => o.SettingsPath = settingsPath)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TeamsOptions>, TeamsOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, TeamsConfigurationCheck>());

        services.AddHttpClient(TeamsServiceNames.IdentityHttpClient)
            .RemoveAllLoggers()
            .AddLogger(static sp => new TeamsHttpClientLogger(sp.GetRequiredService<ILogger<TeamsHttpClientLogger>>()), wrapHandlersPipeline: true);
        services.AddHttpClient(TeamsServiceNames.GraphHttpClient, static client => client.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers()
            .AddLogger(static sp => new TeamsHttpClientLogger(sp.GetRequiredService<ILogger<TeamsHttpClientLogger>>()), wrapHandlersPipeline: true)
            .ConfigureAdditionalHttpMessageHandlers(static (handlers, _) =>
            {
                // Graph's own middleware (redirects, telemetry, user agent...) without its retry handler: resilience below retries.
                foreach (var handler in GraphClientFactory.CreateDefaultHandlers())
                {
                    if (handler is Microsoft.Kiota.Http.HttpClientLibrary.Middleware.RetryHandler)
                    {
                        handler.Dispose();
                        continue;
                    }

                    handlers.Add(handler);
                }
            })
            .AddResilienceHandler("graph", GraphResilience.Configure);
        services.AddHttpClient(TeamsServiceNames.GraphHttpClient).AddHttpMessageHandler(static () => new GraphErrorBodyHandler());

        services.TryAddSingleton<TeamsTokenCredential>();
        services.TryAddKeyedTransient(TeamsServiceNames.GraphClientKey, static (sp, _) => GraphClientFactoryMethods.Create(sp));

        services.TryAddTransient<InviteToTeamsStep>();
        services.TryAddTransient<AddUserToTeamsChannelStep>();
        services.TryAddTransient<RemoveUserFromTeamsStep>();
        return builder;
    }

    private sealed class TeamsMarker;

    private sealed class DefaultSectionConfigure(IServiceProvider services) : IConfigureOptions<TeamsOptions>
    {
        public void Configure(TeamsOptions options)
        {
            if (services.GetService<IConfiguration>() is { } configuration
                && configuration.GetSection(TeamsOptions.DefaultSectionName) is { } section
                && section.Exists())
            {
                section.Bind(options, static o => o.ErrorOnUnknownConfiguration = true);
            }
        }
    }
}
