using HyOpps.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyOpps.Workflows.Internal;

/// <summary>Renews an execution's lease while one of its steps runs, and reports when the lease is lost.</summary>
internal sealed partial class LeaseHeartbeat(
    [FromKeyedServices(StoreDecoration.RuntimeStoreKey)] IWorkflowStore store,
    IOptions<HyOppsOptions> options,
    TimeProvider time,
    ILogger<LeaseHeartbeat> logger)
{
    private readonly TimeSpan _leaseDuration = options.Value.LeaseDuration;

    /// <summary>Renews every third of the lease until <paramref name="cancellationToken"/> is cancelled; calls <paramref name="onLost"/> once if a renewal is refused.</summary>
    public async Task RunAsync(ExecutionState state, Action onLost, CancellationToken cancellationToken)
    {
        var interval = _leaseDuration / 3;
        try
        {
            while (true)
            {
                // Most steps end long before the first renewal: ending the wait without an exception keeps that cheap.
                await Task.Delay(interval, time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                var expires = time.GetUtcNow() + _leaseDuration;
                if (!await store.RenewLeaseAsync(state.Execution.Id, state.FencingToken, expires, cancellationToken).ConfigureAwait(false))
                {
                    LogLeaseLost(logger, state.Execution.Id);
                    RuntimeTelemetry.LeaseLost(state.Execution.WorkflowName);
                    onLost();
                    return;
                }

                state.Update(v => v with { Execution = v.Execution with { LeaseExpiresAt = expires } });
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogHeartbeatFailed(logger, ex, state.Execution.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution {ExecutionId}: the lease was lost; this worker stops running it.")]
    private static partial void LogLeaseLost(ILogger logger, string executionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution {ExecutionId}: renewing the lease failed.")]
    private static partial void LogHeartbeatFailed(ILogger logger, Exception exception, string executionId);
}
