using HyOpps.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyOpps.Workflows.Internal;

/// <summary>Claims runnable executions, bounded by <see cref="HyOppsOptions.MaxConcurrentExecutions"/>, and runs them.</summary>
internal sealed partial class WorkflowWorker(
    [FromKeyedServices(StoreDecoration.RuntimeStoreKey)] IWorkflowStore store,
    IWorkflowStore configuredStore,
    ExecutionRunner runner,
    ExecutionSignals signals,
    HyOppsInitializer initializer,
    IOptions<HyOppsOptions> options,
    TimeProvider time,
    ILogger<WorkflowWorker> logger) : BackgroundService
{
    private readonly HyOppsOptions _options = options.Value;
    private readonly Lock _lock = new();
    private readonly HashSet<Task> _running = [];
    private bool _mayHaveMore;
    private int _reserved;
    private CancellationToken _stopping;
    private volatile bool _accepting;

    /// <summary>Reserves a slot for an execution this process is creating, so that it runs here without being claimed.</summary>
    /// <returns><see langword="false"/> when the worker is not running or has no free slot.</returns>
    public bool TryReserveSlot()
    {
        if (!_accepting)
        {
            return false;
        }

        lock (_lock)
        {
            // Executions already queued go first: while there may be a backlog, a new one joins the queue too.
            if (Volatile.Read(ref _mayHaveMore))
            {
                return false;
            }

            if (_running.Count + _reserved >= _options.MaxConcurrentExecutions)
            {
                // Every slot is taken, so this start is queued: a freed slot must now wake the worker to claim it.
                Volatile.Write(ref _mayHaveMore, true);
                return false;
            }

            _reserved++;
            return true;
        }
    }

    /// <summary>Gives back a slot reserved by <see cref="TryReserveSlot"/> that will not be used.</summary>
    public void ReleaseSlot()
    {
        lock (_lock)
        {
            _reserved--;
        }
    }

    /// <summary>Runs, in a slot reserved by <see cref="TryReserveSlot"/>, an execution created already leased to this worker.</summary>
    /// <param name="claim">The execution, its steps and no running attempts.</param>
    public void Dispatch(ClaimedExecution claim)
    {
        Task task;
        lock (_lock)
        {
            _reserved--;
            if (_stopping.IsCancellationRequested)
            {
                // Stopping: the lease expires and a worker claims the execution later.
                return;
            }

            task = Launch(claim, _stopping);
            _running.Add(task);
        }

        WhenEnded(task);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await initializer.Ready.WaitAsync(stoppingToken).ConfigureAwait(false);
        _stopping = stoppingToken;
        _accepting = true;
        LogStarted(logger, _options.WorkerId, _options.MaxConcurrentExecutions);

        // Work made runnable by other hosts on a shared store wakes this worker at once; the poll stays the fallback.
        // The configured store listens, not a decorator of it.
        await using var notifications = (configuredStore as IWorkflowStoreNotifications)?.Subscribe(signals.NotifyWork);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                int free;
                lock (_lock)
                {
                    free = _options.MaxConcurrentExecutions - _running.Count - _reserved;
                }

                var claimed = 0;
                if (free > 0)
                {
                    try
                    {
                        var claims = await store.ClaimAsync(
                            new ClaimRequest(_options.WorkerId, time.GetUtcNow(), _options.LeaseDuration, free), stoppingToken).ConfigureAwait(false);
                        claimed = claims.Count;
                        Volatile.Write(ref _mayHaveMore, claimed == free);
                        foreach (var claim in claims)
                        {
                            Start(claim, stoppingToken);
                        }
                    }
                    catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                    {
                        LogClaimFailed(logger, ex);
                    }
                }

                if (free > 0 && claimed == free)
                {
                    continue;
                }

                var wait = _options.PollInterval;
                if (free > claimed)
                {
                    try
                    {
                        if (await store.GetNextWakeTimeAsync(stoppingToken).ConfigureAwait(false) is { } next)
                        {
                            var untilNext = next - time.GetUtcNow();
                            if (untilNext < wait)
                            {
                                wait = untilNext < TimeSpan.Zero ? TimeSpan.Zero : untilNext;
                            }
                        }
                    }
                    catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                    {
                        LogClaimFailed(logger, ex);
                    }
                }

                await signals.WaitForWorkAsync(wait, time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        _accepting = false;
        Task[] remaining;
        lock (_lock)
        {
            remaining = [.. _running];
        }

        await Task.WhenAll(remaining).ConfigureAwait(false);
    }

    private void Start(ClaimedExecution claim, CancellationToken stoppingToken)
    {
        var task = Launch(claim, stoppingToken);
        lock (_lock)
        {
            _running.Add(task);
        }

        WhenEnded(task);
    }

    private Task Launch(ClaimedExecution claim, CancellationToken stoppingToken)
        => Task.Run(() => runner.RunAsync(claim, stoppingToken), CancellationToken.None);

    private void WhenEnded(Task task)
        => _ = task.ContinueWith(
            t =>
            {
                lock (_lock)
                {
                    _running.Remove(t);
                }

                // A freed slot matters only when the last claim filled every slot: then more work may be waiting.
                // Otherwise new work announces itself (start, retry, operator action) or the poll finds it.
                if (Volatile.Read(ref _mayHaveMore))
                {
                    signals.NotifyWork();
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

    [LoggerMessage(Level = LogLevel.Information, Message = "HyOpps worker {WorkerId} started, running up to {MaxConcurrent} executions at once.")]
    private static partial void LogStarted(ILogger logger, string workerId, int maxConcurrent);

    [LoggerMessage(Level = LogLevel.Error, Message = "Claiming executions failed; the worker tries again.")]
    private static partial void LogClaimFailed(ILogger logger, Exception exception);
}
