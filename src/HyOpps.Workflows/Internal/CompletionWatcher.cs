using HyOpps.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyOpps.Workflows.Internal;

/// <summary>
/// Polls, for every waiter of this process at once, the executions that no runner of this process holds (queued, or run
/// by another host), and wakes the waiters of those that settled: one read per poll interval, however many wait.
/// </summary>
internal sealed partial class CompletionWatcher(
    [FromKeyedServices(StoreDecoration.RuntimeStoreKey)] IWorkflowStore store,
    ExecutionSignals signals,
    HyOppsInitializer initializer,
    IOptions<HyOppsOptions> options,
    TimeProvider time,
    ILogger<CompletionWatcher> logger) : BackgroundService
{
    private const int ChunkSize = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await initializer.Ready.WaitAsync(stoppingToken).ConfigureAwait(false);
        signals.WatcherRunning = true;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(options.Value.PollInterval, time, stoppingToken).ConfigureAwait(false);
                try
                {
                    await PollAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogPollFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            signals.WatcherRunning = false;
            signals.NotifyAllWaiters();
        }
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        var watched = signals.WatchedElsewhere();
        foreach (var chunk in watched.Chunk(ChunkSize))
        {
            var rows = await store.GetExecutionRecordsAsync(chunk, cancellationToken).ConfigureAwait(false);
            var found = new HashSet<string>(StringComparer.Ordinal);
            foreach (var row in rows)
            {
                found.Add(row.Id);
                if (row.Status is not (ExecutionStatus.Pending or ExecutionStatus.Running))
                {
                    signals.NotifyChanged(row.Id);
                }
            }

            // An execution that is gone wakes its waiter too, which then reports it as not found.
            foreach (var id in chunk)
            {
                if (!found.Contains(id))
                {
                    signals.NotifyChanged(id);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling the executions that waiters wait on failed; the watcher tries again.")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);
}
