using System.Diagnostics;

namespace HyOpps.Benchmarks.Systems;

/// <summary>What one batch of executions measured: wall time from the first start to the last completion, and each execution's latency.</summary>
internal sealed record BatchResult(int Executions, int StepsPerExecution, TimeSpan Elapsed, IReadOnlyList<double> LatenciesMs)
{
    public double ExecutionsPerSecond => Executions / Elapsed.TotalSeconds;

    public double StepsPerSecond => Executions * StepsPerExecution / Elapsed.TotalSeconds;

    /// <summary>Gets or sets the CPU time the whole process used during the batch (all threads), robust to a busy machine.</summary>
    public TimeSpan CpuTime { get; init; }

    /// <summary>Gets the process CPU time per step, in microseconds.</summary>
    public double CpuMicrosecondsPerStep => CpuTime.TotalMicroseconds / (Executions * StepsPerExecution);

    /// <summary>Gets or sets how long the store's single writer was busy (statements and commits) during the batch, when known.</summary>
    public TimeSpan? WriterBusy { get; init; }

    /// <summary>Gets or sets the SQLite transactions committed during the batch, when known.</summary>
    public long? Transactions { get; init; }

    /// <summary>Gets or sets the store writes (operations grouped into those transactions) during the batch, when known.</summary>
    public long? Operations { get; init; }

    /// <summary>Runs <paramref name="count"/> executions at once (or <paramref name="maxInFlight"/> at a time), each timed from its start to its completion, and measures the batch.</summary>
    /// <param name="count">How many executions.</param>
    /// <param name="steps">Steps per execution.</param>
    /// <param name="runOne">Starts execution i and completes when it has completed.</param>
    /// <param name="maxInFlight">At most this many executions started and not yet completed; 0 starts them all at once.</param>
    public static async Task<BatchResult> MeasureAsync(int count, int steps, Func<int, Task> runOne, int maxInFlight = 0)
    {
        using var slots = new SemaphoreSlim(maxInFlight > 0 ? maxInFlight : count);
        var latencies = new double[count];
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var tasks = new Task[count];
        for (var i = 0; i < count; i++)
        {
            tasks[i] = RunAsync(i);
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        clock.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        return new BatchResult(count, steps, clock.Elapsed, latencies) { CpuTime = cpu };

        async Task RunAsync(int i)
        {
            await slots.WaitAsync().ConfigureAwait(false);
            try
            {
                await Task.Yield();
                var started = Stopwatch.GetTimestamp();
                await runOne(i).ConfigureAwait(false);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
            finally
            {
                slots.Release();
            }
        }
    }
}
