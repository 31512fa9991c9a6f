#region usage
using HyOpps;
#endregion
using Microsoft.Extensions.DependencyInjection;

namespace Snippets;

/// <summary>src/HyOpps.Integrations.Atlassian/README.md.</summary>
internal static class AtlassianSnippets
{
    public static void Usage(IServiceCollection services)
    {
        #region usage
        services.AddHyOpps()
                .AddAtlassian(); // binds "HyOpps:Atlassian"; or AddAtlassian(o => ...), AddAtlassian(config.GetSection("..."))
        #endregion
    }
}
