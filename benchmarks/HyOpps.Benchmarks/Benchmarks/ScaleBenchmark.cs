using System.Diagnostics;
using System.Globalization;
using HyOpps.Benchmarks.Infrastructure;
using HyOpps.Benchmarks.Systems;
using HyOpps.Workflows;
using HyOpps.Workflows.Storage;
using Microsoft.Data.Sqlite;

namespace HyOpps.Benchmarks.Benchmarks;

/// <summary>Fills one store with completed executions and measures reads, starts, memory and size at checkpoints; the first checkpoint is the baseline.</summary>
internal static class ScaleBenchmark
{
    public static async Task RunAsync(BenchArgs args, BenchDirectory dir, Report report)
    {
        var total = args.Int("executions", 100_000);
        var checkpoints = args.Ints("checkpoints", 10_000, total).Where(c => c <= total).Distinct().Order().ToArray();
        var steps = args.Int("steps", 10);
        var batch = args.Int("batch", 5_000);
        var sync = ThroughputBenchmark.ParseSync(args.Strings("sync", "normal"))[0];
        var viaRuntime = args.String("fill", "store") == "runtime";
        Console.Error.WriteLine($"scale: {total:N0} executions of {steps} steps, measured at {string.Join(", ", checkpoints.Select(c => c.ToString("N0", CultureInfo.InvariantCulture)))}");

        var path = dir.NewDatabase("scale");
        await using var system = await HyOppsSystem.StartAsync(path, sync, steps, args.Int("concurrency", 256));
        var measurements = new List<(int Count, Dictionary<string, (double Value, string Unit)> Values)>();
        var done = 0;
        var fill = Stopwatch.StartNew();
        foreach (var checkpoint in checkpoints)
        {
            while (done < checkpoint)
            {
                var size = Math.Min(batch, checkpoint - done);
                var offset = done;
                if (viaRuntime)
                {
                    await system.RunBatchAsync(size, i => new StartExecutionOptions
                    {
                        Labels = new Dictionary<string, string> { ["org"] = $"org-{(offset + i) % 100}" },
                        IdempotencyKey = $"user-{offset + i}@example.com",
                    });
                }
                else
                {
                    await FillAsync(system.Store, offset, size, steps);
                }

                done += size;
                Console.Error.WriteLine($"  {done:N0} executions stored ({fill.Elapsed.TotalSeconds:F0} s)");
            }

            measurements.Add((checkpoint, await MeasureAsync(system, path, checkpoint)));
        }

        var (baseCount, baseValues) = measurements[0];
        foreach (var (count, values) in measurements)
        {
            foreach (var (metric, (value, unit)) in values)
            {
                var higherIsBetter = unit == "/s";
                report.Add(new Figure("scale", $"{count:N0} stored, sync={sync.ToString().ToUpperInvariant()}", metric, unit, value,
                    count == baseCount ? "-" : $"same, {baseCount:N0} stored", count == baseCount ? null : baseValues[metric].Value, higherIsBetter));
            }
        }

        report.Note(viaRuntime
            ? $"scale: filling {total:N0} executions took {fill.Elapsed.TotalSeconds:F0} s through the runtime (each a real {steps}-step execution with a label and an idempotency key)."
            : $"scale: {total:N0} completed executions were written in {fill.Elapsed.TotalSeconds:F0} s through the store API (the rows the runtime writes for a succeeded {steps}-step execution: " +
              "execution, steps, one attempt per step, audit, a label, an idempotency key), not run step by step (`--fill runtime` does that, far slower on a loaded machine); " +
              "start latency and the 1,000-execution throughput at each checkpoint do go through the runtime.");
    }

    private static async Task<Dictionary<string, (double, string)>> MeasureAsync(HyOppsSystem system, string path, int count)
    {
        var client = system.Client;
        var values = new Dictionary<string, (double, string)>(StringComparer.Ordinal);

        values["list: first page of 50, no filter"] = (await TimeAsync(() => client.ListAsync(new ExecutionQuery { Limit = 50 })), "ms");
        values["list: status=succeeded, page of 50"] = (await TimeAsync(() => client.ListAsync(new ExecutionQuery { Limit = 50, Statuses = [ExecutionStatus.Succeeded] })), "ms");
        values["list: label org=org-7, page of 50"] = (await TimeAsync(() => client.ListAsync(new ExecutionQuery { Limit = 50, Labels = new Dictionary<string, string> { ["org"] = "org-7" } })), "ms");
        values["list: workflow + created in last hour"] = (await TimeAsync(() => client.ListAsync(new ExecutionQuery { Limit = 50, WorkflowName = HyOppsSystem.WorkflowName, CreatedFrom = DateTimeOffset.UtcNow.AddHours(-1) })), "ms");
        values["list: page at offset 5,000"] = (await TimeAsync(() => client.ListAsync(new ExecutionQuery { Limit = 50, Offset = 5000 })), "ms");
        var someId = (await client.ListAsync(new ExecutionQuery { Limit = 1, Offset = count / 2 })).Items[0].Id;
        values["get: one execution's detail"] = (await TimeAsync(() => client.GetAsync(someId)), "ms");

        // Start latency: the StartAsync call (a durable create), one at a time, with the worker idle.
        var starts = new List<double>();
        var ids = new List<string>();
        for (var i = 0; i < 100; i++)
        {
            var clock = Stopwatch.GetTimestamp();
            var started = await client.StartJsonAsync(HyOppsSystem.WorkflowName, "{}", new StartExecutionOptions { Labels = new Dictionary<string, string> { ["org"] = "probe" } });
            starts.Add(Stopwatch.GetElapsedTime(clock).TotalMilliseconds);
            ids.Add(started.ExecutionId);
            await client.WaitForCompletionAsync(started.ExecutionId);
        }

        values["start: StartAsync median"] = (Stats.Median(starts), "ms");
        values["start: StartAsync p99"] = (Stats.P99(starts), "ms");

        var throughput = await system.RunBatchAsync(1000);
        values["throughput: 1,000 more executions"] = (throughput.StepsPerSecond, "/s");

        for (var i = 0; i < 3; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        using var process = Process.GetCurrentProcess();
        process.Refresh();
        values["memory: working set after GC"] = (process.WorkingSet64 / 1024.0 / 1024.0, "MiB");
        values["memory: managed heap after GC"] = (GC.GetTotalMemory(forceFullCollection: true) / 1024.0 / 1024.0, "MiB");

        using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            connection.Open();
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            checkpoint.ExecuteNonQuery();
        }

        var stored = (await client.ListAsync(new ExecutionQuery { Limit = 1 })).Total;
        values["database bytes per execution"] = ((double)BenchDirectory.DatabaseBytes(path) / stored, "B");
        return values;
    }

    // Writes completed executions as the runtime leaves them, many at once so that the writer groups them.
    private static async Task FillAsync(HyOpps.Workflows.Storage.IWorkflowStore store, int offset, int count, int steps)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 256).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var n = offset + i;
                var now = DateTimeOffset.UtcNow;
                var done = now.AddMilliseconds(5);
                var id = Guid.CreateVersion7(now).ToString("N");

                // Created already settled, so that the worker of this host never claims it.
                var execution = new ExecutionRecord
                {
                    Id = id,
                    WorkflowName = HyOppsSystem.WorkflowName,
                    WorkflowVersion = 1,
                    Status = ExecutionStatus.Succeeded,
                    Input = "{}",
                    IdempotencyKey = $"user-{n}@example.com",
                    Labels = new Dictionary<string, string> { ["org"] = $"org-{n % 100}" },
                    CurrentStepIndex = steps,
                    CreatedAt = now,
                    UpdatedAt = done,
                    CompletedAt = done,
                };
                var stepRecords = Enumerable.Range(0, steps).Select(s => new StepRecord
                {
                    ExecutionId = id, Index = s, StepId = $"s{s}", Status = StepStatus.Succeeded, Attempts = 1, FirstAttemptAt = now, StartedAt = now, CompletedAt = done,
                }).ToArray();
                var created = await store.CreateExecutionAsync(execution, stepRecords,
                    [new AuditRecord { ExecutionId = id, At = now, Actor = "system", Action = "start", Detail = $"{HyOppsSystem.WorkflowName} v1" }], CancellationToken.None);
                var committed = await store.CommitAsync(new ExecutionCommit
                {
                    Execution = created.Execution,
                    ExpectedVersion = created.Execution.Version,
                    Attempts = [.. stepRecords.Select(s => new AttemptRecord
                    {
                        ExecutionId = id, StepIndex = s.Index, StepId = s.StepId, Run = 1, Number = 1, WorkerId = "bench/fill",
                        StartedAt = now, EndedAt = done, Outcome = AttemptOutcome.Succeeded,
                    })],
                }, CancellationToken.None);
                if (!created.Created || !committed)
                {
                    throw new InvalidOperationException($"Filling execution {n} failed.");
                }
            }
        }));
    }

    private static async Task<double> TimeAsync<T>(Func<Task<T>> action)
    {
        await action();
        var times = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var clock = Stopwatch.GetTimestamp();
            await action();
            times.Add(Stopwatch.GetElapsedTime(clock).TotalMilliseconds);
        }

        return Stats.Median(times);
    }
}
