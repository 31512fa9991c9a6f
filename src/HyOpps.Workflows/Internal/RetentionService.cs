using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyOpps.Workflows.Internal;

/// <summary>Runs a retention pass at start-up and then every interval; a failed pass is logged and retried at the next one.</summary>
internal sealed partial class RetentionService(
    ExecutionRetention retention,
    HyOppsInitializer initializer,
    IOptions<HyOppsOptions> options,
    TimeProvider time,
    ILogger<RetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Retention;
        if (!settings.Enabled)
        {
            return;
        }

        // Created before the first await so the cadence counts from start-up, and a tick that falls due while a pass
        // runs is kept for the next wait instead of being lost (a delay started after the pass would miss it).
        using var timer = new PeriodicTimer(settings.Interval, time);
        await initializer.Ready.WaitAsync(stoppingToken).ConfigureAwait(false);
        do
        {
            try
            {
                var deleted = await retention.DeleteExpiredAsync(stoppingToken).ConfigureAwait(false);
                LogPass(logger, deleted);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // A store that is down now may be back at the next pass; retention must never stop the host.
                LogPassFailed(logger, settings.Interval, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Retention pass done: {Count} executions deleted.")]
    private static partial void LogPass(ILogger logger, long count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A retention pass failed; the next one runs in {Interval}.")]
    private static partial void LogPassFailed(ILogger logger, TimeSpan interval, Exception exception);
}
