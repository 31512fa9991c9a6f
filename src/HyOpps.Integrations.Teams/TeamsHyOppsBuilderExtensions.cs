using HyOpps.Integrations.Teams;
using HyOpps.Integrations.Shared;
using HyOpps.Integrations.Teams.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Graph;

namespace HyOpps;

/// <summary>Adds the Microsoft Teams integration (Microsoft Graph guest invitations and team membership) to HyOpps.</summary>
[HyOppsIntegration("Teams", typeof(TeamsOptions), "the Teams steps (Microsoft Graph guest invitations and team membership)")]
public static partial class TeamsHyOppsBuilderExtensions
{
    private static void AddServices(IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TeamsOptions>, TeamsOptionsValidator>());
        IntegrationConfigurationChecks.Add(services, new IntegrationCheck<TeamsOptions>(
            "Teams", [InviteToTeamsStep.Id, AddUserToTeamsChannelStep.Id, RemoveUserFromTeamsStep.Id], static o => o.IsConfigured,
            static o => [o.Key(nameof(TeamsOptions.TenantId)), o.Key(nameof(TeamsOptions.ClientId)), o.Key(nameof(TeamsOptions.ClientSecret))], static o => TeamsMessages.NotConfigured(o)));

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

        // The steps' constructors take the internal connection, so they are built here rather than by activation.
        services.TryAddTransient(static sp => new TeamsConnection(
            sp.GetRequiredKeyedService<GraphServiceClient>(TeamsServiceNames.GraphClientKey), sp.GetRequiredService<IOptions<TeamsOptions>>()));
        services.TryAddTransient(static sp => new InviteToTeamsStep(sp.GetRequiredService<TeamsConnection>()));
        services.TryAddTransient(static sp => new AddUserToTeamsChannelStep(sp.GetRequiredService<TeamsConnection>()));
        services.TryAddTransient(static sp => new RemoveUserFromTeamsStep(sp.GetRequiredService<TeamsConnection>()));
    }
}
