#region usage
#region testing
using HyOpps;
#endregion
using HyOpps.Integrations.Metabase;
#endregion
#region testing
using HyOpps.Testing.Metabase;
#endregion
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Snippets;

/// <summary>src/HyOpps.Integrations.Metabase/README.md.</summary>
internal static class MetabaseSnippets
{
    public static void Usage(IHostApplicationBuilder builder)
    {
        #region usage
        builder.Services.AddHyOpps()
            .AddMetabase();   // binds "HyOpps:Metabase"; registers the client, the four steps and IMetabaseUserLookup
        #endregion
        _ = typeof(CreateMetabaseAccountStep);
    }

    public static async Task TestingAsync(IServiceCollection services)
    {
        #region testing
        await using var metabase = new MetabaseSimulator();
        await metabase.StartAsync();
        var groupId = metabase.CreateGroup("Acme");
        services.AddHyOpps().AddMetabase(o => { o.BaseUrl = metabase.BaseAddress; o.ApiKey = metabase.ApiKey; });
        // ... run the steps ...
        Assert.Contains(groupId, metabase.GetGroupIdsOfUser(metabase.FindUserByEmail("jane@acme.example")!.Id));
        #endregion
    }
}
