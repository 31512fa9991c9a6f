using HyOpps.Integrations.Atlassian;
using HyOpps.Integrations.Atlassian.Internal;

namespace HyOpps;

/// <summary>Adds the Atlassian integration (steps and settings) to HyOpps.</summary>
[HyOppsIntegration("Atlassian", typeof(AtlassianOptions), "the Atlassian integration (steps and settings)", Validator = typeof(AtlassianOptionsValidator))]
public static partial class AtlassianHyOppsBuilderExtensions
{
    private static void AddServices(IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        AtlassianHttp.AddClients(services);
        services.TryAddTransient(static sp => new AtlassianClient(
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<IOptionsMonitor<AtlassianOptions>>(),
            sp.GetRequiredService<TimeProvider>()));
        // The generated registration builds the steps with this connection (their constructors are internal).
        services.TryAddTransient(static sp => new AtlassianConnection(sp.GetRequiredService<AtlassianClient>(), sp.GetRequiredService<IOptionsMonitor<AtlassianOptions>>()));
    }
}
