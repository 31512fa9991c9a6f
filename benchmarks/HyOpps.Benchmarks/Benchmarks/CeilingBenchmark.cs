using HyOpps.Benchmarks.Infrastructure;
using HyOpps.Benchmarks.Systems;

namespace HyOpps.Benchmarks.Benchmarks;

/// <summary>Raw SQLite commits per second on a file with the store's settings: the ceiling of one commit per transition.</summary>
internal static class CeilingBenchmark
{
    public static Task RunAsync(BenchArgs args, BenchDirectory dir, Report report)
    {
        var seconds = args.Int("seconds", 3);
        foreach (var sync in ThroughputBenchmark.ParseSync(args.Strings("sync", "normal", "full")))
        {
            var single = RawSqlite.CommitsPerSecond(dir.NewDatabase("ceiling"), sync, TimeSpan.FromSeconds(seconds));
            var batched = RawSqlite.CommitsPerSecond(dir.NewDatabase("ceiling-batch"), sync, TimeSpan.FromSeconds(seconds), rowsPerTransaction: 100);
            var setting = $"WAL, sync={sync.ToString().ToUpperInvariant()}";
            report.Add(new Figure("ceiling", setting, "raw 1-row commits/s", "/s", single, "-", null));
            report.Add(new Figure("ceiling", setting, "rows/s, 100 rows per commit", "/s", batched, "raw 1-row commits/s", single));
        }

        return Task.CompletedTask;
    }
}
