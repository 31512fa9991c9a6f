using HyOpps.Benchmarks.Infrastructure;
using HyOpps.Benchmarks.Systems;

namespace HyOpps.Benchmarks.Benchmarks;

/// <summary>One execution at a time, start to complete, repeated; beside Workflow Core in memory.</summary>
internal static class LatencyBenchmark
{
    public static async Task RunAsync(BenchArgs args, BenchDirectory dir, Report report)
    {
        var runs = args.Int("runs", 200);
        var steps = args.Int("steps", 10);
        var syncs = ThroughputBenchmark.ParseSync(args.Strings("sync", "normal", "full"));
        Console.Error.WriteLine($"latency: {runs} single executions of {steps} steps, one at a time");

        var baseline = new List<double>();
        if (!args.Flag("no-workflowcore"))
        {
            await using var wfc = WorkflowCoreSystem.Start(steps);
            for (var i = 0; i < 20; i++)
            {
                await wfc.RunBatchAsync(1);
            }

            for (var i = 0; i < runs; i++)
            {
                baseline.Add((await wfc.RunBatchAsync(1)).LatenciesMs[0]);
            }
        }

        // A host's start and stop, as the runtime tests pay them for each test (fresh database each time).
        var starts = new List<double>();
        var stops = new List<double>();
        for (var i = 0; i < 6; i++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var host = await HyOppsSystem.StartAsync(dir.NewDatabase("cycle"), syncs[0], steps, 32);
            starts.Add(clock.Elapsed.TotalMilliseconds);
            await host.RunBatchAsync(1);
            clock.Restart();
            await host.DisposeAsync();
            stops.Add(clock.Elapsed.TotalMilliseconds);
        }

        report.Add(new Figure("latency", "fresh host and database", "host start (median of 5 after 1)", "ms", Stats.Median(starts[1..]), "-", null, HigherIsBetter: false));
        report.Add(new Figure("latency", "fresh host and database", "host stop (median of 5 after 1)", "ms", Stats.Median(stops[1..]), "-", null, HigherIsBetter: false));

        foreach (var sync in syncs)
        {
            await using var system = await HyOppsSystem.StartAsync(dir.NewDatabase($"latency-{sync}"), sync, steps, 32, timed: true);
            for (var i = 0; i < 20; i++)
            {
                await system.RunBatchAsync(1);
            }

            system.Timed!.Reset();
            var latencies = new List<double>();
            long transactions = 0;
            for (var i = 0; i < runs; i++)
            {
                var result = await system.RunBatchAsync(1);
                latencies.Add(result.LatenciesMs[0]);
                transactions += result.Transactions!.Value;
            }

            var setting = $"1 x {steps}, sync={sync.ToString().ToUpperInvariant()}, {runs} runs";
            report.Add(new Figure("latency", setting, "median start-to-complete", "ms", Stats.Median(latencies), "Workflow Core in memory", baseline.Count > 0 ? Stats.Median(baseline) : null, HigherIsBetter: false));
            report.Add(new Figure("latency", setting, "p99 start-to-complete", "ms", Stats.P99(latencies), "Workflow Core in memory", baseline.Count > 0 ? Stats.P99(baseline) : null, HigherIsBetter: false));
            report.Add(new Figure("latency", setting, "SQLite commits per execution", string.Empty, (double)transactions / runs, "one commit per step", steps, HigherIsBetter: false));

            // Where the time goes: each store call as the runtime saw it (queue to the writer, transaction, hop back).
            var times = system.Timed.Times;
            var commits = times.GetValueOrDefault("commit")?.ToArray() ?? [];
            report.Add(new Figure("latency", setting, "store commit round trip, median", "ms", Stats.Median(commits), "-", null, HigherIsBetter: false));
            var inStore = times.Where(t => t.Key is "create" or "claim" or "commit").Sum(t => t.Value.Sum()) / runs;
            report.Add(new Figure("latency", setting, "time in create + claim + commits per execution (mean)", "ms", inStore, "mean start-to-complete", latencies.Average(), HigherIsBetter: false));
            report.Note($"latency, sync={sync.ToString().ToUpperInvariant()}: store calls per execution: " +
                string.Join(", ", times.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key} {(double)t.Value.Count / runs:F1} x {Stats.Median([.. t.Value]):F2} ms median")) + ".");
        }
    }
}
