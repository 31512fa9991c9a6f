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

        foreach (var sync in syncs)
        {
            await using var system = await HyOppsSystem.StartAsync(dir.NewDatabase($"latency-{sync}"), sync, steps, 32);
            for (var i = 0; i < 20; i++)
            {
                await system.RunBatchAsync(1);
            }

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
        }
    }
}
