using System.Collections.Concurrent;
using System.Security.Cryptography;
using HyOpps.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HyOpps.Dashboard.Internal;

/// <summary>Bulk actions confirmed in this process, run in the background so that the confirmation can answer at once and show progress.</summary>
/// <remarks>Jobs live in memory: a progress page served by another host, or after a restart, says the job is unknown (the audit trails still tell).</remarks>
internal sealed partial class BulkJobs(IServiceProvider services)
{
    private const int MaxKept = 100;
    private readonly ConcurrentDictionary<string, BulkJob> _jobs = new(StringComparer.Ordinal);
    private readonly ILogger _logger = services.GetService<ILogger<BulkJobs>>() ?? (ILogger)NullLogger.Instance;

    public BulkJob Start(BulkFilter filter, IReadOnlyDictionary<string, string>? scope, Func<IProgress<BulkActionProgress>, CancellationToken, Task<BulkActionResult>> run)
    {
        Trim();
        var job = new BulkJob(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), filter, scope);
        _jobs[job.Id] = job;
        var stopping = services.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        job.Task = Task.Run(async () =>
        {
            try
            {
                job.Finish(await run(job, stopping).ConfigureAwait(false));
            }
            catch (Exception ex)
            {
                // Nobody awaits the task: every failure ends the job, or its page would reload for ever.
                job.Fail(ex switch
                {
                    OperationCanceledException => "The host stopped before the bulk action finished; executions changed so far stay changed.",
                    ArgumentException or HyOppsException => ex.Message,
                    _ => "The bulk action stopped after an unexpected error (see the host's log); executions changed so far stay changed.",
                });
                LogBulkJobFailed(_logger, ex, job.Id);
            }
        }, CancellationToken.None);
        return job;
    }

    /// <summary>Finds a job for a caller with exactly the scope it was started with; a caller with another scope learns nothing of it.</summary>
    public BulkJob? Find(string id, IReadOnlyDictionary<string, string>? scope)
        => _jobs.TryGetValue(id, out var job) && SameScope(job.Scope, scope) ? job : null;

    private static bool SameScope(IReadOnlyDictionary<string, string>? a, IReadOnlyDictionary<string, string>? b)
        => (a is null && b is null)
            || (a is not null && b is not null && a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var v) && string.Equals(v, p.Value, StringComparison.Ordinal)));

    private void Trim()
    {
        foreach (var old in _jobs.Values.Where(j => j.Done).OrderBy(j => j.Sequence).Take(Math.Max(0, _jobs.Count - MaxKept + 1)).ToArray())
        {
            _jobs.TryRemove(old.Id, out _);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dashboard bulk job {JobId} stopped early.")]
    private static partial void LogBulkJobFailed(ILogger logger, Exception exception, string jobId);
}

/// <summary>One bulk action running or finished: its filter, the counts so far, and its result or why it stopped.</summary>
internal sealed class BulkJob(string id, BulkFilter filter, IReadOnlyDictionary<string, string>? scope) : IProgress<BulkActionProgress>
{
    private static long _sequence;
    private volatile BulkActionProgress? _progress;
    private volatile BulkActionResult? _result;
    private volatile string? _error;

    public string Id { get; } = id;

    public long Sequence { get; } = Interlocked.Increment(ref _sequence);

    public BulkFilter Filter { get; } = filter;

    public IReadOnlyDictionary<string, string>? Scope { get; } = scope is null ? null : new Dictionary<string, string>(scope, StringComparer.Ordinal);

    public Task Task { get; set; } = Task.CompletedTask;

    public BulkActionProgress? Progress => _progress;

    public BulkActionResult? Result => _result;

    public string? Error => _error;

    public bool Done => _result is not null || _error is not null;

    public void Report(BulkActionProgress value) => _progress = value;

    public void Finish(BulkActionResult result) => _result = result;

    public void Fail(string error) => _error = error;
}
