using System.Text.Json;
using HyOpps.Workflows.Notifications;
using HyOpps.Workflows.Storage;
using Microsoft.Data.Sqlite;

namespace HyOpps.Storage.Sqlite.Internal;

/// <summary>The notification outbox: rows inserted by commits, claimed in batches by dispatchers, deleted once delivered.</summary>
internal sealed partial class SqliteWorkflowStore
{
    private const string NotificationColumns = "seq, event_id, kind, execution_id, workflow_name, step_id, occurred_at, labels, summary, delivered_to, failed_passes";

    public async ValueTask<IReadOnlyList<NotificationRecord>> ClaimNotificationsAsync(NotificationClaimRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var writer = await WriterAsync(cancellationToken).ConfigureAwait(false);
        return await writer.WriteAsync<IReadOnlyList<NotificationRecord>>(w =>
        {
            var claim = w.Command(
                "UPDATE notifications SET claim_owner = @owner, claimed_until = @until WHERE event_id IN (" +
                "SELECT event_id FROM notifications WHERE due_at <= @now AND (claimed_until IS NULL OR claimed_until <= @now) " +
                $"ORDER BY due_at, seq LIMIT @max) RETURNING {NotificationColumns}");
            claim.Parameters.AddWithValue("@owner", request.Owner);
            claim.Parameters.AddWithValue("@until", ToUnix(request.Now + request.ClaimDuration));
            claim.Parameters.AddWithValue("@now", ToUnix(request.Now));
            claim.Parameters.AddWithValue("@max", request.MaxCount);
            var claimed = new List<(long Seq, NotificationRecord Record)>();
            using var reader = claim.ExecuteReader();
            while (reader.Read())
            {
                claimed.Add((reader.GetInt64(0), ReadNotification(reader)));
            }

            // RETURNING gives no order: put them back in the order they fell due and were written.
            return [.. claimed.OrderBy(c => c.Record.OccurredAt).ThenBy(c => c.Seq).Select(c => c.Record)];
        }, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> CompleteNotificationAsync(NotificationDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var writer = await WriterAsync(cancellationToken).ConfigureAwait(false);
        return await writer.WriteAsync(w =>
        {
            var command = delivery.RetryAt is { } retryAt
                ? w.Command(
                    "UPDATE notifications SET delivered_to = @delivered, failed_passes = failed_passes + 1, due_at = @due, " +
                    "claim_owner = NULL, claimed_until = NULL WHERE event_id = @id AND claim_owner = @owner")
                : w.Command("DELETE FROM notifications WHERE event_id = @id AND claim_owner = @owner");
            command.Parameters.AddWithValue("@id", delivery.EventId);
            command.Parameters.AddWithValue("@owner", delivery.Owner);
            if (delivery.RetryAt is { } due)
            {
                command.Parameters.AddWithValue("@delivered", JsonSerializer.Serialize(delivery.DeliveredTo));
                command.Parameters.AddWithValue("@due", ToUnix(due));
            }

            return command.ExecuteNonQuery() == 1;
        }, cancellationToken).ConfigureAwait(false);
    }

    // A notification falls due when it occurs: its occurred_at is also its first due_at.
    private static void InsertNotification(WriteContext w, NotificationRecord n)
        => w.Statement(
            "INSERT INTO notifications (event_id, kind, execution_id, workflow_name, step_id, occurred_at, labels, summary, due_at) " +
            "VALUES (@event_id, @kind, @execution_id, @workflow_name, @step_id, @occurred_at, @labels, @summary, @occurred_at) ON CONFLICT (event_id) DO NOTHING")
            .BindRow(n.EventId, Name(n.Kind), n.ExecutionId, n.WorkflowName, n.StepId, n.OccurredAt, JsonSerializer.Serialize(n.Labels), n.Summary)
            .Execute();

    private static NotificationRecord ReadNotification(SqliteDataReader r) => new()
    {
        EventId = r.GetString(1),
        Kind = Parse<ExecutionNotificationKind>(r.GetString(2)),
        ExecutionId = r.GetString(3),
        WorkflowName = r.GetString(4),
        StepId = NullableString(r, 5),
        OccurredAt = FromUnix(r.GetInt64(6)),
        Labels = JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(7)) ?? [],
        Summary = r.GetString(8),
        DeliveredTo = JsonSerializer.Deserialize<string[]>(r.GetString(9)) ?? [],
        FailedPasses = r.GetInt32(10),
    };
}
