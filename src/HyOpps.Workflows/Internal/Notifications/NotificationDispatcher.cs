using HyOpps.Workflows.Notifications;
using HyOpps.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyOpps.Workflows.Internal.Notifications;

/// <summary>
/// Sends the outbox's notifications to every registered notifier, at least once: claims a bounded batch for a short while
/// (so that other hosts skip it), calls each notifier that has not delivered an event yet, and records the pass. A notifier
/// that throws or times out is logged and tried again after a backoff; one that timed out is not called again in the same
/// batch. The execution never waits for any of this.
/// </summary>
internal sealed partial class NotificationDispatcher(
    IServiceProvider services,
    [FromKeyedServices(StoreDecoration.RuntimeStoreKey)] IWorkflowStore store,
    HyOppsInitializer initializer,
    IOptions<HyOppsOptions> options,
    TimeProvider time,
    ILogger<NotificationDispatcher> logger) : BackgroundService
{
    private readonly HyOppsOptions _options = options.Value;
    private IReadOnlyList<(string Name, IExecutionNotifier Notifier)> _notifiers = [];

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var registrations = services.GetServices<NotifierRegistration>().ToArray();
        if (registrations.GroupBy(r => r.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new InvalidOperationException($"Two notifiers are named '{twice.Key}'; give each AddNotifier its own name.");
        }

        _notifiers = [.. registrations.Select(r => (r.Name, r.Factory(services) ?? throw new InvalidOperationException($"The factory of notifier '{r.Name}' returned null.")))];
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = _options.Notifications;

        // Created before the first await so that a test's clock can move as soon as the host has started.
        using var timer = new PeriodicTimer(settings.PollInterval, time);
        await initializer.Ready.WaitAsync(stoppingToken).ConfigureAwait(false);
        do
        {
            try
            {
                // A full batch suggests more are due: take the next at once, still one bounded batch per transaction.
                while (await DispatchBatchAsync(stoppingToken).ConfigureAwait(false) == settings.BatchSize)
                {
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogPassFailed(logger, settings.PollInterval, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>Claims and sends one batch; returns how many notifications it claimed.</summary>
    internal async Task<int> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        var settings = _options.Notifications;
        var now = time.GetUtcNow();
        var batch = await store.ClaimNotificationsAsync(
            new NotificationClaimRequest(_options.WorkerId, now, settings.ClaimDuration, settings.BatchSize), cancellationToken).ConfigureAwait(false);

        // A notifier that timed out is probably hung: calling it for each further notification would hold the batch (and the
        // notifiers after it) for a timeout apiece, past the claim.
        var timedOut = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in batch)
        {
            await DeliverAsync(record, timedOut, cancellationToken).ConfigureAwait(false);
        }

        return batch.Count;
    }

    private async Task DeliverAsync(NotificationRecord record, HashSet<string> timedOut, CancellationToken cancellationToken)
    {
        var settings = _options.Notifications;
        var notification = ToNotification(record, settings.DashboardBaseUrl);
        var delivered = new List<string>(record.DeliveredTo);
        var failed = false;
        foreach (var (name, notifier) in _notifiers)
        {
            if (delivered.Contains(name, StringComparer.Ordinal))
            {
                continue;
            }

            if (timedOut.Contains(name))
            {
                failed = true;
                continue;
            }

            using var timeout = new CancellationTokenSource(settings.NotifierTimeout, time);
            using var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                // WaitAsync too: a notifier that ignores its token is left behind rather than waited for.
                await notifier.NotifyAsync(notification, call.Token).AsTask().WaitAsync(call.Token).ConfigureAwait(false);
                delivered.Add(name);
            }
            catch (Exception ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                failed = true;
                timedOut.Add(name);
                LogNotifierTimedOut(logger, name, settings.NotifierTimeout, record.Kind, record.ExecutionId, record.EventId, ex);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // Not the labels: they may name a person (an email address used as a label).
                failed = true;
                LogNotifierFailed(logger, name, record.Kind, record.ExecutionId, record.EventId, ex);
            }
        }

        var now = time.GetUtcNow();
        DateTimeOffset? retryAt = null;
        if (failed)
        {
            if (now - record.OccurredAt >= settings.MaxAge)
            {
                LogGivenUp(logger, record.EventId, record.ExecutionId, settings.MaxAge);
            }
            else
            {
                retryAt = now + Backoff(record.FailedPasses, settings);
            }
        }

        if (!await store.CompleteNotificationAsync(new NotificationDelivery(record.EventId, _options.WorkerId, delivered, retryAt), cancellationToken).ConfigureAwait(false))
        {
            LogClaimLost(logger, record.EventId);
        }
    }

    internal static TimeSpan Backoff(int failedPasses, HyOppsNotificationOptions settings)
    {
        var factor = Math.Pow(2, Math.Min(failedPasses, 30));
        var ticks = Math.Min(settings.RetryBackoff.Ticks * factor, settings.MaxRetryBackoff.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }

    internal static ExecutionNotification ToNotification(NotificationRecord record, Uri? dashboardBaseUrl) => new()
    {
        EventId = record.EventId,
        Kind = record.Kind,
        ExecutionId = record.ExecutionId,
        WorkflowName = record.WorkflowName,
        StepId = record.StepId,
        OccurredAt = record.OccurredAt,
        Labels = record.Labels,
        Summary = record.Summary,
        DashboardUrl = dashboardBaseUrl is null ? null
            : new Uri($"{dashboardBaseUrl.AbsoluteUri.TrimEnd('/')}/executions/{Uri.EscapeDataString(record.ExecutionId)}"),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notifier {Notifier} failed to send the {Kind} notification of execution {ExecutionId} (event {EventId}); it is tried again later.")]
    private static partial void LogNotifierFailed(ILogger logger, string notifier, ExecutionNotificationKind kind, string executionId, string eventId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notifier {Notifier} did not finish within {Timeout} sending the {Kind} notification of execution {ExecutionId} (event {EventId}); it is tried again later and skipped for the rest of this batch.")]
    private static partial void LogNotifierTimedOut(ILogger logger, string notifier, TimeSpan timeout, ExecutionNotificationKind kind, string executionId, string eventId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {EventId} of execution {ExecutionId} was not delivered to every notifier within {MaxAge}; it is dropped.")]
    private static partial void LogGivenUp(ILogger logger, string eventId, string executionId, TimeSpan maxAge);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {EventId}: the claim expired before its delivery was recorded; another host may send it again.")]
    private static partial void LogClaimLost(ILogger logger, string eventId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A notification pass failed; the next one runs in {Interval}.")]
    private static partial void LogPassFailed(ILogger logger, TimeSpan interval, Exception exception);
}
