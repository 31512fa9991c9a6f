#region testing
#region usage
using HyOpps;
#endregion
using HyOpps.Integrations.Teams;
using HyOpps.Testing.Graph;
#endregion
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Snippets;

/// <summary>src/HyOpps.Integrations.Teams/README.md.</summary>
internal static class TeamsSnippets
{
    public static void Usage(IServiceCollection services)
    {
        #region usage
        services.AddHyOpps()
                .AddTeams();                                  // binds "HyOpps:Teams" from IConfiguration
             // .AddTeams(config.GetSection("Teams"))         // or another section (unknown keys are errors)
             // .AddTeams(o => { o.TenantId = "..."; ... })   // or code
        #endregion
    }

    public static async Task TestingAsync(IServiceCollection services, IConfigurationBuilder configuration)
    {
        #region testing
        await using var graph = new GraphSimulator();
        await graph.StartAsync();
        configuration.AddInMemoryCollection(graph.CreateConfiguration());   // HyOpps:Teams:* settings
        services.AddHyOpps().AddTeams();
        services.AddHttpClient(TeamsServiceNames.IdentityHttpClient).ConfigurePrimaryHttpMessageHandler(graph.CreateHttpMessageHandler);
        #endregion
    }
}
