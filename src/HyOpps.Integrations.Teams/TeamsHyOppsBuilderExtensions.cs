using HyOpps.Integrations.Teams;
using HyOpps.Integrations.Teams.Internal;
using Microsoft.Graph;

namespace HyOpps;

/// <summary>Adds the Microsoft Teams integration (Microsoft Graph guest invitations and team membership) to HyOpps.</summary>
[HyOppsIntegration("Teams", typeof(TeamsOptions), "the Teams steps (Microsoft Graph guest invitations and team membership)", Validator = typeof(TeamsOptionsValidator))]
public static partial class TeamsHyOppsBuilderExtensions
{
    private static void AddServices(IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
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

        // The generated registration builds the steps with this connection (their constructors are internal).
        services.TryAddTransient(static sp => new TeamsConnection(
            sp.GetRequiredKeyedService<GraphServiceClient>(TeamsServiceNames.GraphClientKey), sp.GetRequiredService<IOptions<TeamsOptions>>()));
    }
}
