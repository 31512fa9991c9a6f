using HyOpps.Integrations.Teams;
using HyOpps.Integrations.Shared;
using HyOpps.Integrations.Teams.Internal;
using HyOpps.Workflows;
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
    public static IHyOppsBuilder AddTeams(this IHyOppsBuilder builder) => AddCore(builder, section: null, configure: null);

    /// <summary>Adds the Teams steps, binding <c>HyOpps:Teams</c> when present and then configured by <paramref name="configure"/>.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <param name="configure">Sets the Teams settings; runs after the configuration binding.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IHyOppsBuilder AddTeams(this IHyOppsBuilder builder, Action<TeamsOptions> configure)
        => AddCore(builder, section: null, configure ?? throw new ArgumentNullException(nameof(configure)));

    /// <summary>Adds the Teams steps with settings bound from a configuration section; unknown keys are errors.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <param name="section">The section, for example <c>configuration.GetSection("HyOpps:Teams")</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IHyOppsBuilder AddTeams(this IHyOppsBuilder builder, IConfigurationSection section)
        => AddCore(builder, section ?? throw new ArgumentNullException(nameof(section)), configure: null);

    private static IHyOppsBuilder AddCore(IHyOppsBuilder builder, IConfigurationSection? section, Action<TeamsOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (!IntegrationOptions.Add(services, TeamsOptions.DefaultSectionName, section, configure, static (o, path) => o.SectionPath = path))
        {
            return builder;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TeamsOptions>, TeamsOptionsValidator>());
        IntegrationConfigurationChecks.Add<TeamsConfigurationCheck>(services);

        IntegrationHttp.AddClient(services, TeamsServiceNames.IdentityHttpClient)
            .AddLogger(static sp => new TeamsHttpClientLogger(sp.GetRequiredService<ILogger<TeamsHttpClientLogger>>()), wrapHandlersPipeline: true);
        IntegrationHttp.AddClient(services, TeamsServiceNames.GraphHttpClient)
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
}
