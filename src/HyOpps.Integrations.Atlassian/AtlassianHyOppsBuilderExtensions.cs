using HyOpps.Integrations.Atlassian;
using HyOpps.Integrations.Atlassian.Internal;
using HyOpps.Integrations.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HyOpps;

/// <summary>Adds the Atlassian integration (steps and settings) to HyOpps.</summary>
[HyOppsIntegration("Atlassian", typeof(AtlassianOptions), "the Atlassian integration (steps and settings)")]
public static partial class AtlassianHyOppsBuilderExtensions
{
    private static void AddServices(IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AtlassianOptions>, AtlassianOptionsValidator>());
        IntegrationConfigurationChecks.Add(services, new IntegrationCheck<AtlassianOptions>(
            "Atlassian", [AddUserToAtlassianGroupStep.Id, RemoveUserFromAtlassianGroupStep.Id], static o => o.IsConfigured,
            static o => [o.Key(nameof(AtlassianOptions.SiteUrl)), o.Key(nameof(AtlassianOptions.Email)), o.Key(nameof(AtlassianOptions.ApiToken))], static o => o.NotConfiguredMessage));
        AtlassianHttp.AddClients(services);
        services.TryAddTransient(static sp => new AtlassianClient(
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<IOptionsMonitor<AtlassianOptions>>(),
            sp.GetRequiredService<TimeProvider>()));
        // The steps' constructors take the internal connection, so they are built here rather than by activation.
        services.TryAddTransient(static sp => new AtlassianConnection(sp.GetRequiredService<AtlassianClient>(), sp.GetRequiredService<IOptionsMonitor<AtlassianOptions>>()));
        services.TryAddTransient(static sp => new AddUserToAtlassianGroupStep(sp.GetRequiredService<AtlassianConnection>()));
        services.TryAddTransient(static sp => new RemoveUserFromAtlassianGroupStep(sp.GetRequiredService<AtlassianConnection>()));
    }
}
