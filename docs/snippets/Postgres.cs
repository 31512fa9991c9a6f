using HyOpps;
using Microsoft.Extensions.Hosting;

namespace Snippets;

/// <summary>src/HyOpps.Storage.Postgres/README.md and the root README's "Scaling out".</summary>
internal static class PostgresSnippets
{
    public static void Usage(IHostApplicationBuilder builder)
    {
        #region usage
        builder.Services.AddHyOpps()
            .UsePostgres();                                   // ConnectionStrings:HyOpps, options from HyOpps:Postgres
        //  .UsePostgres("Host=db;Database=app;Username=hyopps;Password=...")
        //  .UsePostgres(o => { o.ConnectionString = ...; o.Schema = "onboarding"; })
        #endregion
    }

    public static void ScalingOut(IHostApplicationBuilder builder)
    {
        #region scaleout
        builder.Services.AddHyOpps().UsePostgres();   // ConnectionStrings:HyOpps; tables in the schema HyOpps:Postgres:Schema ("hyopps")
        #endregion
    }
}
