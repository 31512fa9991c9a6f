using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Domain;
using Microsoft.Extensions.Options;

namespace HyOpps.SampleHost.Starts;

/// <summary>
/// Starts the workflows that requests recorded but did not start (the host stopped in between, or the start failed and so did its
/// undo): at start-up every pending start, then every interval those older than one interval. A second start of one finds the
/// execution of the first by its idempotency key, so doing it twice is harmless.
/// </summary>
public sealed partial class PendingStartReconciler(
    PartnerUserStore users,
    PendingStartRunner runner,
    IOptions<PendingStartOptions> options,
    TimeProvider time,
    ILogger<PendingStartReconciler> logger) : BackgroundService
{
    private const int PageSize = 100;

    /// <summary>Starts every pending start written before a time; returns how many executions it linked.</summary>
    /// <param name="createdBefore">Pending starts written at or after this time are left to the requests that wrote them.</param>
    /// <param name="cancellationToken">The token to cancel the work.</param>
    public async Task<int> ReconcileAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken)
    {
        var linked = 0;
        PendingStart? after = null;
        while (true)
        {
            var page = await users.ListPendingStartsAsync(createdBefore, after, PageSize, cancellationToken);
            foreach (var start in page)
            {
                try
                {
                    var executionId = await runner.RunAsync(start, cancellationToken);
                    linked++;
                    LogStarted(logger, start.WorkflowName, executionId, start.UserId);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // One start that cannot start (a workflow no longer registered) must not hold up the others; the next pass tries again.
                    LogStartFailed(logger, ex, start.WorkflowName, start.UserId);
                }
            }

            if (page.Count < PageSize)
            {
                return linked;
            }

            after = page[^1];
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // At start-up every pending start is a leftover of an earlier run. Later passes take only those older than one interval,
        // so that a request still between writing its start and starting it is not raced.
        var cutoff = time.GetUtcNow();

        // Made before the first await, so that it ticks on its TimeProvider from the host's start: a test's clock that moves
        // while a pass is still running is not missed (a delay would only start counting once the pass had ended).
        using var timer = new PeriodicTimer(options.Value.ReconcileInterval, time);
        while (true)
        {
            var passStarted = time.GetUtcNow();
            try
            {
                await ReconcileAsync(cutoff, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogPassFailed(logger, ex);
            }

            cutoff = passStarted;
            try
            {
                await timer.WaitForNextTickAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Started the pending {Workflow} execution {ExecutionId} of partner user {UserId}: the request that recorded it did not finish.")]
    private static partial void LogStarted(ILogger logger, string workflow, string executionId, string userId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The pending {Workflow} start of partner user {UserId} could not be started; the next pass tries again.")]
    private static partial void LogStartFailed(ILogger logger, Exception exception, string workflow, string userId);

    [LoggerMessage(Level = LogLevel.Error, Message = "A pass over the pending workflow starts failed; the next pass tries again.")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
