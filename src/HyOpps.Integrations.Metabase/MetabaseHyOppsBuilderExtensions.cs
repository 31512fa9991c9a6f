using HyOpps.Integrations.Metabase;
using HyOpps.Integrations.Metabase.Internal;
using HyOpps.Integrations.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HyOpps;

/// <summary>Adds the Metabase integration to HyOpps.</summary>
[HyOppsIntegration("Metabase", typeof(MetabaseOptions), "the Metabase steps and user lookup")]
public static partial class MetabaseHyOppsBuilderExtensions
{
    private static void AddServices(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MetabaseOptions>, MetabaseOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MetabaseSessionCache>();
        services.TryAddTransient<MetabaseAuthenticationHandler>();

        // The auth handler sits inside the resilience pipeline so each retry is authenticated afresh.
        IntegrationHttp.AddClient(services, MetabaseClient.HttpClientName)
            .AddResilienceHandler(MetabaseResilience.PipelineName, MetabaseResilience.Configure);
        services.AddHttpClient(MetabaseClient.HttpClientName).AddHttpMessageHandler<MetabaseAuthenticationHandler>();
        services.TryAddTransient<IMetabaseUserLookup, MetabaseUserLookup>();
        // The steps' constructors take the internal connection, so they are built here rather than by activation.
        services.TryAddSingleton<MetabaseConnection>();
        services.TryAddTransient(static sp => new CreateMetabaseAccountStep(sp.GetRequiredService<MetabaseConnection>()));
        services.TryAddTransient(static sp => new AddUserToMetabaseGroupStep(sp.GetRequiredService<MetabaseConnection>()));
        services.TryAddTransient(static sp => new RemoveUserFromMetabaseGroupStep(sp.GetRequiredService<MetabaseConnection>()));
        services.TryAddTransient(static sp => new DeactivateMetabaseAccountStep(sp.GetRequiredService<MetabaseConnection>()));
        IntegrationConfigurationChecks.Add(services, new IntegrationCheck<MetabaseOptions>(
            "Metabase", [CreateMetabaseAccountStep.Id, AddUserToMetabaseGroupStep.Id, RemoveUserFromMetabaseGroupStep.Id, DeactivateMetabaseAccountStep.Id], static o => o.IsConfigured,
            static o => [$"{o.SectionPath}:BaseUrl", $"{o.SectionPath}:ApiKey"], static o => o.NotConfiguredMessage));
    }
}
