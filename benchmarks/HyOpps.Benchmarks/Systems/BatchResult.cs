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
}
