// HyOpps benchmarks: throughput, latency, the SQLite ceiling, scale and the onboarding flow, each beside a baseline
// measured in the same run. Usage: dotnet run -c Release --project benchmarks/HyOpps.Benchmarks -- <command> [options]
using System.Globalization;
using System.Runtime.InteropServices;
using HyOpps.Benchmarks.Benchmarks;
using HyOpps.Benchmarks.Infrastructure;

var commands = new Dictionary<string, Func<BenchArgs, BenchDirectory, Report, Task>>(StringComparer.OrdinalIgnoreCase)
{
    ["throughput"] = ThroughputBenchmark.RunAsync,
    ["latency"] = LatencyBenchmark.RunAsync,
    ["ceiling"] = CeilingBenchmark.RunAsync,
    ["scale"] = ScaleBenchmark.RunAsync,
    ["onboarding"] = OnboardingBenchmark.RunAsync,
    ["postgres"] = PostgresBenchmark.RunAsync,
};

if (args.Length == 5 && args[0] == "postgres-host")
{
    return await PostgresBenchmark.HostAsync(args);
}

if (args.Length == 0 || args[0] is "-h" or "--help" or "help" || (!commands.ContainsKey(args[0]) && args[0] != "all"))
{
    Console.WriteLine("""
        usage: dotnet run -c Release --project benchmarks/HyOpps.Benchmarks -- <command> [options]

        commands (each prints a markdown table; every figure beside its baseline from the same run):
          throughput  --n 1000,5000,10000 --sync normal,full --steps 10 --concurrency 256 --hangfire-n 100
                      --wfc-concurrency 32 --wfc-idle-ms 0
                      N executions x no-op steps on SQLite vs Workflow Core 3.22.0 in memory and Hangfire 1.8.25 on SQLite;
                      --wfc-concurrency sets Workflow Core's UseMaxConcurrentWorkflows (32 was its best here; 0 = its default)
          latency     --runs 200 --sync normal,full     one 10-step execution at a time: median and p99
          ceiling     --seconds 3 --sync normal,full    raw single-row SQLite commits/s on the same settings
          scale       --executions 100000 --checkpoints 10000,100000 --sync normal
                      list/filter/get latency, start latency, working set, bytes per execution as the store grows
          onboarding  --inflight 1,8,32 --executions 64  the onboarding flow against the simulators (real HTTP/SMTP on loopback)
          postgres    --n 5000 --hosts 1,2,3 --runs 200  N x 10 steps shared by 1, 2, 3 host processes on one throwaway PostgreSQL
                      (Debian's postgresql package; fsync and synchronous_commit on) beside SQLite FULL in one process,
                      and one execution's latency; --statements adds the server's time per statement (pg_stat_statements);
                      --inflight K keeps K executions in flight per host (default: each host starts its share at once)
          all         throughput (N 1000,5000), latency, ceiling, onboarding; add --scale for the 100,000-execution scale run

        common: --out FILE (also write the table), --dir FOLDER (database files; default the temp folder), --keep (keep them)
        """);
    return args.Length == 0 ? 2 : 0;
}

var options = new BenchArgs(args.Skip(1));
var report = new Report();
using var dir = new BenchDirectory(options.String("dir", null!) is { Length: > 0 } d && d != "true" ? d : null, options.Flag("keep"));
var started = DateTimeOffset.UtcNow;
if (args[0] == "all")
{
    if (options.Flag("scale"))
    {
        await ScaleBenchmark.RunAsync(options, dir, report);
    }

    var throughput = options.Names.Contains("n") ? options : new BenchArgs([.. args.Skip(1), "--n", "1000,5000"]);
    await CeilingBenchmark.RunAsync(options, dir, report);
    await ThroughputBenchmark.RunAsync(throughput, dir, report);
    await LatencyBenchmark.RunAsync(options, dir, report);
    await OnboardingBenchmark.RunAsync(options, dir, report);
}
else
{
    await commands[args[0]](options, dir, report);
}

var header = $"HyOpps benchmarks, `{string.Join(' ', args)}`: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription.Split(' ')[0]} {RuntimeInformation.OSArchitecture}, " +
    $".NET {Environment.Version}, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC, {(DateTimeOffset.UtcNow - started).TotalSeconds.ToString("F0", CultureInfo.InvariantCulture)} s.";
var markdown = header + Environment.NewLine + Environment.NewLine + report.ToMarkdown();
Console.WriteLine();
Console.WriteLine(markdown);
if (options.String("out", string.Empty) is { Length: > 0 } outFile && outFile != "true")
{
    await File.WriteAllTextAsync(outFile, markdown);
}

return 0;
