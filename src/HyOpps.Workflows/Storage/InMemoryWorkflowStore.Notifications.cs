namespace HyOpps.Workflows.Storage;

/// <content>The notification outbox.</content>
public sealed partial class InMemoryWorkflowStore
{
    private readonly Dictionary<string, OutboxEntry> _outbox = new(StringComparer.Ordinal);
    private long _outboxSequence;

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<NotificationRecord>> ClaimNotificationsAsync(NotificationClaimRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_lock)
        {
            var claimed = _outbox.Values
                .Where(n => n.DueAt <= request.Now && (n.ClaimedUntil is null || n.ClaimedUntil <= request.Now))
                .OrderBy(n => n.DueAt)
                .ThenBy(n => n.Sequence)
                .Take(request.MaxCount)
                .ToArray();
            foreach (var entry in claimed)
            {
                entry.Owner = request.Owner;
                entry.ClaimedUntil = request.Now + request.ClaimDuration;
            }

            return ValueTask.FromResult<IReadOnlyList<NotificationRecord>>([.. claimed.Select(n => n.Record)]);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> CompleteNotificationAsync(NotificationDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        lock (_lock)
        {
            if (!_outbox.TryGetValue(delivery.EventId, out var entry) || entry.Owner != delivery.Owner)
            {
                return ValueTask.FromResult(false);
            }

            if (delivery.RetryAt is not { } retryAt)
            {
                _outbox.Remove(delivery.EventId);
                return ValueTask.FromResult(true);
            }

            entry.Record = entry.Record with { DeliveredTo = [.. delivery.DeliveredTo], FailedPasses = entry.Record.FailedPasses + 1 };
            entry.DueAt = retryAt;
            entry.Owner = null;
            entry.ClaimedUntil = null;
            return ValueTask.FromResult(true);
        }
    }

    private void AddNotification(NotificationRecord notification)
        => _outbox.TryAdd(notification.EventId, new OutboxEntry(notification with { DeliveredTo = [], FailedPasses = 0 }, ++_outboxSequence) { DueAt = notification.OccurredAt });

    private sealed class OutboxEntry(NotificationRecord record, long sequence)
    {
        public NotificationRecord Record { get; set; } = record;

        public long Sequence { get; } = sequence;

        public DateTimeOffset DueAt { get; set; }

        public string? Owner { get; set; }

        public DateTimeOffset? ClaimedUntil { get; set; }
    }
}
