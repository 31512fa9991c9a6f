using HyOpps.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyOpps.Workflows.Internal;

/// <summary>Claims runnable executions into the dispatcher's free slots, sleeping until the next one is due or a signal wakes it.</summary>
internal sealed partial class WorkflowWorker(
    [FromKeyedServices(StoreDecoration.RuntimeStoreKey)] IWorkflowStore store,
    ExecutionDispatcher dispatcher,
    ExecutionSignals signals,
    HyOppsInitializer initializer,
    IOptions<HyOppsOptions> options,
    TimeProvider time,
    ILogger<WorkflowWorker> logger) : BackgroundService
{
    private static readonly TimeSpan BacklogSampleInterval = TimeSpan.FromSeconds(10);

    private readonly HyOppsOptions _options = options.Value;
    private DateTimeOffset _nextBacklogSample = DateTimeOffset.MinValue;

    /// <summary>Gets a value indicating whether the claim loop is running.</summary>
    public bool IsRunning { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await initializer.Ready.WaitAsync(stoppingToken).ConfigureAwait(false);
        dispatcher.Open(stoppingToken);
        IsRunning = true;
        LogStarted(logger, _options.WorkerId, _options.MaxConcurrentExecutions);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var free = dispatcher.FreeSlots;
                var claimed = free > 0 ? await ClaimAsync(free, stoppingToken).ConfigureAwait(false) : 0;
                if (free > 0 && claimed == free)
                {
                    continue;
                }

                await SampleBacklogAsync(stoppingToken).ConfigureAwait(false);
                var wait = free > claimed ? await UntilNextDueAsync(stoppingToken).ConfigureAwait(false) : _options.PollInterval;
                await signals.WaitForWorkAsync(wait, time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            IsRunning = false;
        }

        await dispatcher.CloseAsync().ConfigureAwait(false);
    }

    private async Task<int> ClaimAsync(int free, CancellationToken stoppingToken)
    {
        try
        {
            var claims = await store.ClaimAsync(new ClaimRequest(_options.WorkerId, time.GetUtcNow(), _options.LeaseDuration, free), stoppingToken).ConfigureAwait(false);
            dispatcher.NoteClaimed(claims.Count, free);
            foreach (var claim in claims)
            {
                dispatcher.Run(claim);
            }

            return claims.Count;
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            LogClaimFailed(logger, ex);
            return 0;
        }
    }

    private async Task<TimeSpan> UntilNextDueAsync(CancellationToken stoppingToken)
    {
        var wait = _options.PollInterval;
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

        return wait;
    }

    /// <summary>Samples the backlog for the metrics now and then, while the worker is idle enough to wait.</summary>
    private async Task SampleBacklogAsync(CancellationToken stoppingToken)
    {
        var now = time.GetUtcNow();
        if (now < _nextBacklogSample)
        {
            return;
        }

        _nextBacklogSample = now + BacklogSampleInterval;
        try
        {
            var status = await store.GetStatusAsync(new WorkflowStoreStatusRequest(now, now - _options.StuckAfter), stoppingToken).ConfigureAwait(false);
            RuntimeTelemetry.Backlog(status.DueCount, status.OldestDueAt is { } oldest ? (now - oldest).TotalSeconds : 0, status.StuckCount);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            LogClaimFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "HyOpps worker {WorkerId} started, running up to {MaxConcurrent} executions at once.")]
    private static partial void LogStarted(ILogger logger, string workerId, int maxConcurrent);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reading runnable executions failed; the worker tries again.")]
    private static partial void LogClaimFailed(ILogger logger, Exception exception);
}
