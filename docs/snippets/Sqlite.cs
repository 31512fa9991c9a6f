#region usage
using HyOpps;
using HyOpps.Storage.Sqlite;
#endregion
using Microsoft.Extensions.Hosting;

namespace Snippets;

/// <summary>src/HyOpps.Storage.Sqlite/README.md.</summary>
internal static class SqliteSnippets
{
    public static void Usage(IHostApplicationBuilder builder)
    {
        #region usage
        builder.Services.AddHyOpps()
            .UseSqlite("Data Source=hyopps.db", o =>
            {
                o.Synchronous = SqliteSynchronousMode.Full;   // the default; Normal survives a process crash, not a power loss
                o.BusyTimeout = TimeSpan.FromSeconds(30);     // how long to wait for another process's write lock
                o.MaxBatchSize = 512;                         // most writes grouped into one transaction
            });
        #endregion
    }

    public static void Configuration(IHostApplicationBuilder builder)
    {
        #region configuration
        builder.Services.AddHyOpps().UseSqlite();   // ConnectionStrings:HyOpps, options under HyOpps:Sqlite
        builder.Services.AddHyOpps().UseSqlite(o => o.ConnectionString = "Data Source=hyopps.db");
        #endregion
    }
}
