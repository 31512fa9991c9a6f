using System.Diagnostics;
using System.Globalization;
using HyOpps.Benchmarks.Infrastructure;
using HyOpps.Benchmarks.Systems;
using HyOpps.Storage.Sqlite;
using HyOpps.TestUtilities.Postgres;
using HyOpps.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace HyOpps.Benchmarks.Benchmarks;

/// <summary>Several host processes on one PostgreSQL (durable: fsync and synchronous_commit on) beside SQLite FULL in one process.</summary>
/// <remarks>
/// Each host process is this program in its <c>postgres-host</c> mode: it starts its share of the executions and reports
/// when all of them have completed, but keeps working (on the others' executions too) until every host has reported and
/// it is told to stop: a host that stopped early would hand executions back mid-run, which is not what is measured here.
/// The figure is all steps over the time from the common "go" to the last host's report; CPU is counted over the same
/// span, in the host processes and in the server's.
/// </remarks>
internal static class PostgresBenchmark
{
    private const int MaxConcurrent = 128;

    private const int WarmUpExecutions = 300;
    private const int WarmUpRounds = 30;
    private const int QuietJitMethods = 10;

    public static async Task RunAsync(BenchArgs args, BenchDirectory dir, Report report)
    {
        var n = args.Int("n", 5000);
        var steps = args.Int("steps", 10);
        var hostCounts = args.Ints("hosts", 1, 2, 3);
        var runs = args.Int("runs", 200);
        var inFlight = args.Int("inflight", 0);
        Console.Error.WriteLine($"postgres: {n} x {steps} steps with {string.Join(",", hostCounts)} host processes, " +
            $"{(inFlight == 0 ? "all started at once" : $"{inFlight} in flight per host")}; latency over {runs} runs");

        // The baselines, in this run: SQLite FULL in one process, the same workload.
        BatchResult sqlite;
        await using (var system = await HyOppsSystem.StartAsync(dir.NewDatabase("pg-baseline"), SqliteSynchronousMode.Full, steps, 256))
        {
            await system.RunBatchAsync(200);
            sqlite = await system.RunBatchAsync(n);
        }

        var sqliteLatency = new List<double>();
        await using (var system = await HyOppsSystem.StartAsync(dir.NewDatabase("pg-latency"), SqliteSynchronousMode.Full, steps, 32))
        {
            for (var i = 0; i < 20 + runs; i++)
            {
                var result = await system.RunBatchAsync(1);
                if (i >= 20)
                {
                    sqliteLatency.Add(result.LatenciesMs[0]);
                }
            }
        }

        var statements = args.Flag("statements");
        await using var cluster = await PostgresCluster.StartAsync(durable: true, statements ? StatementProfile.ServerSettings : null);
        foreach (var hosts in hostCounts)
        {
            var connectionString = await cluster.CreateDatabaseAsync();
            PostgresCounters? before = null;
            var server = await ServerCpu.FindAsync(connectionString);
            var serverBefore = TimeSpan.Zero;
            var (elapsed, hostCpu, serverCpu) = await RunHostsAsync(connectionString, hosts, n, steps, inFlight, async () =>
            {
                if (statements)
                {
                    await StatementProfile.ResetAsync(connectionString);
                }

                // The warm-up's dead rows are vacuumed and its pages flushed now, not billed to the measured run.
                await using (var connection = new NpgsqlConnection(connectionString))
                {
                    await connection.OpenAsync();
                    await using var settle = new NpgsqlCommand("VACUUM ANALYZE; CHECKPOINT", connection);
                    await settle.ExecuteNonQueryAsync();
                }

                before = await PostgresCounters.ReadAsync(connectionString);
                serverBefore = server.Used();
            }, () => server.Used() - serverBefore);

            // The hosts have exited, so their statistics are flushed; a second lets the last of them land.
            await Task.Delay(TimeSpan.FromSeconds(1));
            var used = await PostgresCounters.ReadAsync(connectionString) - before!;
            var total = n * steps;
            report.Note(FormattableString.Invariant(
                $"postgres, {hosts} host process{(hosts == 1 ? string.Empty : "es")}: {total / elapsed.TotalSeconds:F0} steps/s; CPU per step {hostCpu.TotalMicroseconds / total:F0} µs in the hosts, {serverCpu.TotalMicroseconds / total:F0} µs in the server; the server counted {used.PerStep(total)}."));
            if (statements)
            {
                report.Note($"postgres, {hosts} host(s): server time by statement:{await StatementProfile.DescribeAsync(connectionString, total)}");
            }

            report.Add(new Figure("postgres", $"{n} x {steps}, {hosts} host process{(hosts == 1 ? string.Empty : "es")}{(inFlight == 0 ? string.Empty : $", {inFlight} in flight each")}, synchronous_commit=on", "throughput", "steps/s",
                n * steps / elapsed.TotalSeconds, "SQLite FULL, 1 process", sqlite.StepsPerSecond));
        }

        var latency = new List<double>();
        using (var host = await StartHostAsync(await cluster.CreateDatabaseAsync(), steps, 32))
        {
            var client = host.Services.GetRequiredService<IWorkflowClient>();
            for (var i = 0; i < 20 + runs; i++)
            {
                var clock = Stopwatch.StartNew();
                var started = await client.StartJsonAsync(HyOppsSystem.WorkflowName, "{}");
                await client.WaitForCompletionAsync(started.ExecutionId);
                if (i >= 20)
                {
                    latency.Add(clock.Elapsed.TotalMilliseconds);
                }
            }

            await host.StopAsync();
        }

        report.Add(new Figure("postgres", $"1 x {steps}, {runs} runs, synchronous_commit=on", "median start-to-complete", "ms", Stats.Median(latency), "SQLite FULL", Stats.Median(sqliteLatency), HigherIsBetter: false));
        report.Add(new Figure("postgres", $"1 x {steps}, {runs} runs, synchronous_commit=on", "p99 start-to-complete", "ms", Stats.P99(latency), "SQLite FULL", Stats.P99(sqliteLatency), HigherIsBetter: false));
        report.Note($"postgres: PostgreSQL {Path.GetFileName(Path.GetDirectoryName(PostgresCluster.FindBinaries()))} on 127.0.0.1 on the same machine, fsync and synchronous_commit on; load average at the end: {LoadAverage()}.");
    }

    /// <summary>The <c>postgres-host</c> mode: one host process of the benchmark.</summary>
    public static async Task<int> HostAsync(string[] args)
    {
        var (connectionString, count, steps, inFlight) =
            (args[1], int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture), int.Parse(args[4], CultureInfo.InvariantCulture));
        using var host = await StartHostAsync(connectionString, steps, MaxConcurrent);
        var client = host.Services.GetRequiredService<IWorkflowClient>();

        await WarmUpAsync(client, steps);
        Console.WriteLine("ready");
        if (Console.ReadLine() != "go")
        {
            return 2;
        }

        var cpuAtGo = Process.GetCurrentProcess().TotalProcessorTime;

        var result = await RunShareAsync(client, count, steps, inFlight);
        Console.WriteLine(FormattableString.Invariant($"done {result.Elapsed.TotalMilliseconds}"));

        // Working on until every host is done: the others' executions may still need this one.
        if (Console.ReadLine() != "stop")
        {
            return 2;
        }

        Console.WriteLine(FormattableString.Invariant($"cpu {(Process.GetCurrentProcess().TotalProcessorTime - cpuAtGo).TotalMilliseconds}"));
        await host.StopAsync();
        return 0;
    }

    /// <summary>
    /// Runs executions until the JIT has nothing left to compile: what is measured is a host's steady state. A host under
    /// load tiers its code up in the background for many seconds; measured meanwhile, a third of its CPU went to the JIT.
    /// </summary>
    private static async Task WarmUpAsync(IWorkflowClient client, int steps)
    {
        for (var round = 0; round < WarmUpRounds; round++)
        {
            var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
            await RunShareAsync(client, WarmUpExecutions, steps, 0);

            // Idle, the background compiler finishes the methods the round made hot.
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            if (System.Runtime.JitInfo.GetCompiledMethodCount() - compiled < QuietJitMethods)
            {
                await Console.Error.WriteLineAsync($"host {Environment.ProcessId}: warm after {round + 1} rounds of {WarmUpExecutions} executions");
                return;
            }
        }
    }

    private static Task<BatchResult> RunShareAsync(IWorkflowClient client, int count, int steps, int inFlight)
        => BatchResult.MeasureAsync(count, steps, async i =>
        {
            var started = await client.StartJsonAsync(HyOppsSystem.WorkflowName, "{}");
            var detail = await client.WaitForCompletionAsync(started.ExecutionId);
            if (detail.Status != ExecutionStatus.Succeeded)
            {
                throw new InvalidOperationException($"Execution {started.ExecutionId} ended {detail.Status}: {detail.Error}");
            }
        }, inFlight);

    private static async Task<(TimeSpan Elapsed, TimeSpan HostCpu, TimeSpan ServerCpu)> RunHostsAsync(
        string connectionString, int hosts, int n, int steps, int inFlight, Func<Task> beforeGo, Func<TimeSpan> serverCpuSinceGo)
    {
        var children = new List<Process>();
        try
        {
            for (var i = 0; i < hosts; i++)
            {
                var share = n / hosts + (i < n % hosts ? 1 : 0);
                var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
                if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
                {
                    start.ArgumentList.Add(typeof(PostgresBenchmark).Assembly.Location);
                }

                foreach (var argument in new[] { "postgres-host", connectionString, share.ToString(CultureInfo.InvariantCulture), steps.ToString(CultureInfo.InvariantCulture), inFlight.ToString(CultureInfo.InvariantCulture) })
                {
                    start.ArgumentList.Add(argument);
                }

                var child = Process.Start(start)!;
                children.Add(child);
                if (await child.StandardOutput.ReadLineAsync() != "ready")
                {
                    throw new InvalidOperationException("A host process did not start.");
                }
            }

            await beforeGo();
            var clock = Stopwatch.StartNew();
            foreach (var child in children)
            {
                await child.StandardInput.WriteLineAsync("go");
                await child.StandardInput.FlushAsync();
            }

            foreach (var child in children)
            {
                await ExpectAsync(child, "done ");
            }

            var elapsed = clock.Elapsed;
            var serverCpu = serverCpuSinceGo();
            var hostCpu = TimeSpan.Zero;
            foreach (var child in children)
            {
                await child.StandardInput.WriteLineAsync("stop");
                await child.StandardInput.FlushAsync();
                hostCpu += TimeSpan.FromMilliseconds(double.Parse(await ExpectAsync(child, "cpu "), CultureInfo.InvariantCulture));
            }

            return (elapsed, hostCpu, serverCpu);
        }
        finally
        {
            foreach (var child in children)
            {
                if (!child.WaitForExit(TimeSpan.FromSeconds(30)))
                {
                    child.Kill(entireProcessTree: true);
                }

                child.Dispose();
            }
        }
    }

    private static async Task<string> ExpectAsync(Process child, string prefix)
    {
        var line = await child.StandardOutput.ReadLineAsync();
        if (line is null || !line.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"A host process failed: {line}");
        }

        return line[prefix.Length..];
    }

    private static async Task<IHost> StartHostAsync(string connectionString, int steps, int maxConcurrent)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Services.AddHyOpps(o => o.MaxConcurrentExecutions = maxConcurrent)
            .UsePostgres(o => (o.ConnectionString, o.MaxBatchSize) = (connectionString + ";Maximum Pool Size=40", 256))
            .AddWorkflow(HyOppsSystem.WorkflowName, wf =>
            {
                for (var i = 0; i < steps; i++)
                {
                    wf.Step($"s{i}", static (_, _) => ValueTask.FromResult(StepResult.Succeeded()));
                }
            });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
