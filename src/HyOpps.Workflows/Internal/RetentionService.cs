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

        await initializer.Ready.WaitAsync(stoppingToken).ConfigureAwait(false);
        while (!stoppingToken.IsCancellationRequested)
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

            await Task.Delay(settings.Interval, time, stoppingToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Retention pass done: {Count} executions deleted.")]
    private static partial void LogPass(ILogger logger, long count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A retention pass failed; the next one runs in {Interval}.")]
    private static partial void LogPassFailed(ILogger logger, TimeSpan interval, Exception exception);
}
