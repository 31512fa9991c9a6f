using HyOpps.Benchmarks.Infrastructure;
using HyOpps.Benchmarks.Systems;
using HyOpps.Storage.Sqlite;

namespace HyOpps.Benchmarks.Benchmarks;

/// <summary>N executions of a chain of no-op steps, all started at once, durable on SQLite; beside Workflow Core (in memory) and Hangfire (SQLite).</summary>
internal static class ThroughputBenchmark
{
    public static async Task RunAsync(BenchArgs args, BenchDirectory dir, Report report)
    {
        var counts = args.Ints("n", 1000, 5000, 10000);
        var syncs = ParseSync(args.Strings("sync", "normal", "full"));
        var steps = args.Int("steps", 10);
        var concurrency = args.Int("concurrency", 256);
        var warmup = args.Int("warmup", 2000);
        var hangfireN = args.Int("hangfire-n", 100);
        var hangfireWorkers = args.Int("hangfire-workers", 20);
        var ceilingSeconds = args.Int("ceiling-seconds", 2);

        Console.Error.WriteLine($"throughput: N = {string.Join(", ", counts)} x {steps} steps; HyOpps MaxConcurrentExecutions = {concurrency}");
        var ceilings = syncs.ToDictionary(s => s, s => RawSqlite.CommitsPerSecond(dir.NewDatabase("ceiling"), s, TimeSpan.FromSeconds(ceilingSeconds)));

        var workflowCore = new Dictionary<int, BatchResult>();
        if (!args.Flag("no-workflowcore"))
        {
            // Workflow Core's default runs as many workflows at once as there are cores; 32 gave it its best rate on the
            // 2-core machine (default 3,100 steps/s, 32: 4,300, 256: 3,700). --wfc-concurrency 0 keeps its default.
            var wfcConcurrency = args.Int("wfc-concurrency", 32);
            var wfcIdle = args.Int("wfc-idle-ms", 0);
            await using var wfc = WorkflowCoreSystem.Start(steps, wfcConcurrency > 0 ? wfcConcurrency : null, wfcIdle > 0 ? TimeSpan.FromMilliseconds(wfcIdle) : null);
            report.Note($"Workflow Core 3.22.0: its in-memory persistence (no durability), UseMaxConcurrentWorkflows = {(wfcConcurrency > 0 ? wfcConcurrency.ToString(System.Globalization.CultureInfo.InvariantCulture) : "its default (the core count)")}, " +
                "completion seen through its WorkflowCompleted life-cycle event.");
            await wfc.RunBatchAsync(warmup);
            foreach (var n in counts)
            {
                // Both shapes, the faster is the baseline: starts one after another (as most callers start workflows), and all at once.
                Console.Error.WriteLine($"  Workflow Core in memory, N = {n}, starts one after another ...");
                var sequential = await wfc.RunBatchAsync(n, sequentialStarts: true);
                Console.Error.WriteLine($"    {sequential.StepsPerSecond:F0} steps/s");
                Console.Error.WriteLine($"  Workflow Core in memory, N = {n}, all started at once ...");
                var together = await wfc.RunBatchAsync(n);
                Console.Error.WriteLine($"    {together.StepsPerSecond:F0} steps/s");
                workflowCore[n] = sequential.StepsPerSecond >= together.StepsPerSecond ? sequential : together;
                report.Note($"Workflow Core baseline for N = {n:N0}: {(ReferenceEquals(workflowCore[n], sequential) ? "starts one after another" : "all started at once")} " +
                    $"(one after another {sequential.StepsPerSecond:F0} steps/s, all at once {together.StepsPerSecond:F0} steps/s; the faster is the baseline).");
            }
        }

        BatchResult? hangfire = null;
        if (!args.Flag("no-hangfire") && hangfireN > 0)
        {
            using var hf = HangfireSystem.Start(dir.NewDatabase("hangfire"), steps, hangfireWorkers, TimeSpan.FromMilliseconds(args.Int("hangfire-poll-ms", 50)));
            await hf.RunBatchAsync(Math.Min(10, hangfireN));
            Console.Error.WriteLine($"  Hangfire on SQLite, N = {hangfireN} ...");
            hangfire = await hf.RunBatchAsync(hangfireN);
            Console.Error.WriteLine($"    {hangfire.StepsPerSecond:F1} steps/s, {hangfire.CpuMicrosecondsPerStep:F0} µs CPU per step");
            report.Note($"Hangfire {HangfireVersion()}: Hangfire.Storage.SQLite 0.4.3 with its defaults (WAL) except QueuePollInterval = {args.Int("hangfire-poll-ms", 50)} ms (default 15 s), " +
                $"{hangfireWorkers} workers; an execution is a job and {steps - 1} continuations; measured with N = {hangfireN} (rates are per second, so they compare with any N).");
        }

        foreach (var sync in syncs)
        {
            foreach (var n in counts)
            {
                var path = dir.NewDatabase($"throughput-{n}-{sync}");
                await using var system = await HyOppsSystem.StartAsync(path, sync, steps, concurrency);
                await system.RunBatchAsync(warmup);
                Console.Error.WriteLine($"  HyOpps on SQLite (WAL, synchronous={sync}), N = {n} ...");
                var result = await system.RunBatchAsync(n);
                var setting = $"{n:N0} x {steps}, sync={sync.ToString().ToUpperInvariant()}";
                const string Tp = "throughput";
                var wfc = workflowCore.GetValueOrDefault(n);
                report.Add(new Figure(Tp, setting, "executions/s", "/s", result.ExecutionsPerSecond, "Workflow Core in memory", wfc?.ExecutionsPerSecond));
                report.Add(new Figure(Tp, setting, "steps/s", "/s", result.StepsPerSecond, "Workflow Core in memory", wfc?.StepsPerSecond));
                report.Add(new Figure(Tp, setting, "steps/s", "/s", result.StepsPerSecond, $"Hangfire on SQLite ({hangfireN} x {steps})", hangfire?.StepsPerSecond));
                report.Add(new Figure(Tp, setting, "steps/s", "/s", result.StepsPerSecond, "raw SQLite 1-row commits/s", ceilings[sync]));
                report.Add(new Figure(Tp, setting, "process CPU per step", "µs", result.CpuMicrosecondsPerStep, "Workflow Core in memory", wfc?.CpuMicrosecondsPerStep, HigherIsBetter: false));
                report.Add(new Figure(Tp, setting, "process CPU per step", "µs", result.CpuMicrosecondsPerStep, "Hangfire on SQLite", hangfire?.CpuMicrosecondsPerStep, HigherIsBetter: false));
                report.Add(new Figure(Tp, setting, "p50 start-to-complete", "ms", Stats.Median(result.LatenciesMs), "Workflow Core in memory", wfc is null ? null : Stats.Median(wfc.LatenciesMs), HigherIsBetter: false));
                report.Add(new Figure(Tp, setting, "p99 start-to-complete", "ms", Stats.P99(result.LatenciesMs), "Workflow Core in memory", wfc is null ? null : Stats.P99(wfc.LatenciesMs), HigherIsBetter: false));
                report.Add(new Figure(Tp, setting, "SQLite commits per step", string.Empty, (double)result.Transactions!.Value / (n * steps), "one commit per step", 1.0, HigherIsBetter: false));
                report.Add(new Figure(Tp, setting, "writer busy (share of wall time)", "%", 100 * result.WriterBusy!.Value / result.Elapsed, "-", null, HigherIsBetter: false));
                report.Add(new Figure(Tp, setting, "writer busy per step", "µs", result.WriterBusy.Value.TotalMicroseconds / (n * steps), "process CPU per step", result.CpuMicrosecondsPerStep, HigherIsBetter: false));
                report.Add(new Figure(Tp, setting, "store writes per commit", string.Empty, (double)result.Operations!.Value / result.Transactions.Value, "one write per commit", 1.0));
            }
        }

        if (hangfire is not null)
        {
            report.Add(new Figure("throughput", $"{hangfireN} x {steps}", "Hangfire steps/s (reference)", "/s", hangfire.StepsPerSecond, "-", null));
        }
    }

    public static SqliteSynchronousMode[] ParseSync(string[] values)
        => [.. values.Select(v => v.ToUpperInvariant() switch
        {
            "NORMAL" => SqliteSynchronousMode.Normal,
            "FULL" => SqliteSynchronousMode.Full,
            _ => throw new ArgumentException($"--sync takes normal and/or full, not '{v}'."),
        })];

    private static string HangfireVersion() => typeof(Hangfire.BackgroundJob).Assembly.GetName().Version?.ToString(3) ?? "?";
}
