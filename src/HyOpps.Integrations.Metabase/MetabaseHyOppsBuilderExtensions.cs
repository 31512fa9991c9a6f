using HyOpps.Integrations.Metabase;
using HyOpps.Integrations.Metabase.Internal;

namespace HyOpps;

/// <summary>Adds the Metabase integration to HyOpps.</summary>
[HyOppsIntegration("Metabase", typeof(MetabaseOptions), "the Metabase steps and user lookup", Validator = typeof(MetabaseOptionsValidator))]
public static partial class MetabaseHyOppsBuilderExtensions
{
    private static void AddServices(IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MetabaseSessionCache>();
        services.TryAddTransient<MetabaseAuthenticationHandler>();

        // The auth handler sits inside the resilience pipeline so each retry is authenticated afresh.
        IntegrationHttp.AddClient(services, MetabaseClient.HttpClientName)
            .AddResilienceHandler(MetabaseResilience.PipelineName, MetabaseResilience.Configure);
        services.AddHttpClient(MetabaseClient.HttpClientName).AddHttpMessageHandler<MetabaseAuthenticationHandler>();
        services.TryAddTransient<IMetabaseUserLookup, MetabaseUserLookup>();
        // The generated registration builds the steps with this connection (their constructors are internal).
        services.TryAddSingleton<MetabaseConnection>();
    }
}
