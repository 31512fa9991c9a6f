using System.Text.Json;
using HyOpps.Workflows.Notifications;
using HyOpps.Workflows.Storage;
using Npgsql;

namespace HyOpps.Storage.Postgres.Internal;

/// <summary>
/// The notification outbox: rows inserted by the commit statement itself (so a fenced-out commit writes none), claimed in
/// batches with <c>FOR UPDATE SKIP LOCKED</c> and a short claim so that two hosts do not send the same row at once, deleted once delivered.
/// </summary>
internal sealed partial class PostgresWorkflowStore
{
    private const int NotificationParameters = 7;
    private const string NotificationColumns = "seq, event_id, kind, execution_id, workflow_name, step_id, occurred_at, labels, summary, delivered_to, failed_passes";
    private string? _commitWithNotificationsSql;

    /// <summary>The commit statement with one more common table expression: the outbox rows, inserted only when the guard let the update through.</summary>
    private string CommitWithNotificationsSql => _commitWithNotificationsSql ??= Number(CommitStatement(
        $", nt AS (INSERT INTO {Schema}.notifications (event_id, kind, execution_id, workflow_name, step_id, occurred_at, labels, summary, due_at) " +
        "SELECT u.n1, u.n2, e.id, u.n3, u.n4, u.n5, u.n6::jsonb, u.n7, u.n5 FROM e CROSS JOIN " +
        "unnest($N1::text[], $N2::text[], $N3::text[], $N4::text[], $N5::timestamptz[], $N6::text[], $N7::text[]) AS u(n1, n2, n3, n4, n5, n6, n7) " +
        "ON CONFLICT (event_id) DO NOTHING)"));

    public async ValueTask<IReadOnlyList<NotificationRecord>> ClaimNotificationsAsync(NotificationClaimRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

        // SKIP LOCKED: a row another host is claiming right now is left to it rather than waited for.
        await using var command = new NpgsqlCommand(
            $"UPDATE {Schema}.notifications n SET claim_owner = $1, claimed_until = $2 FROM (" +
            $"SELECT event_id FROM {Schema}.notifications WHERE due_at <= $3 AND (claimed_until IS NULL OR claimed_until <= $3) " +
            "ORDER BY due_at, seq LIMIT $4 FOR UPDATE SKIP LOCKED) c WHERE n.event_id = c.event_id " +
            $"RETURNING {string.Join(", ", NotificationColumns.Split(", ").Select(c => "n." + c))}",
            connection);
        command.Parameters.Add(PgValues.Text(request.Owner));
        command.Parameters.Add(PgValues.Time(request.Now + request.ClaimDuration));
        command.Parameters.Add(PgValues.Time(request.Now));
        command.Parameters.Add(PgValues.Int(request.MaxCount));
        var claimed = new List<(long Seq, NotificationRecord Record)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            claimed.Add((reader.GetInt64(0), new NotificationRecord
            {
                EventId = PgValues.String(reader, 1),
                Kind = PgValues.Parse<ExecutionNotificationKind>(reader.GetString(2)),
                ExecutionId = PgValues.String(reader, 3),
                WorkflowName = PgValues.String(reader, 4),
                StepId = PgValues.NullableString(reader, 5),
                OccurredAt = PgValues.Time(reader, 6),
                Labels = PgValues.Labels(reader, 7),
                Summary = PgValues.String(reader, 8),
                DeliveredTo = JsonSerializer.Deserialize<string[]>(reader.GetString(9)) ?? [],
                FailedPasses = reader.GetInt32(10),
            }));
        }

        // RETURNING gives no order: put them back in the order they fell due and were written.
        return [.. claimed.OrderBy(c => c.Record.OccurredAt).ThenBy(c => c.Seq).Select(c => c.Record)];
    }

    public async ValueTask<bool> CompleteNotificationAsync(NotificationDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var result = delivery.RetryAt is { } retryAt
            ? await ScalarAsync(
                $"UPDATE {Schema}.notifications SET delivered_to = $3, failed_passes = failed_passes + 1, due_at = $4, claim_owner = NULL, claimed_until = NULL " +
                "WHERE event_id = $1 AND claim_owner = $2 RETURNING 1",
                cancellationToken,
                PgValues.Text(delivery.EventId), PgValues.Text(delivery.Owner), PgValues.Json(JsonSerializer.Serialize(delivery.DeliveredTo)), PgValues.Time(retryAt)).ConfigureAwait(false)
            : await ScalarAsync(
                $"DELETE FROM {Schema}.notifications WHERE event_id = $1 AND claim_owner = $2 RETURNING 1",
                cancellationToken,
                PgValues.Text(delivery.EventId), PgValues.Text(delivery.Owner)).ConfigureAwait(false);
        return result is not null;
    }

    private static void AddNotifications(NpgsqlBatchCommand command, IReadOnlyList<NotificationRecord> notifications)
    {
        var p = command.Parameters;
        p.Add(PgValues.TextArray(notifications.Select(n => n.EventId)));
        p.Add(PgValues.TextArray(notifications.Select(n => PgValues.Name(n.Kind))));
        p.Add(PgValues.TextArray(notifications.Select(n => n.WorkflowName)));
        p.Add(PgValues.TextArray(notifications.Select(n => n.StepId)));
        p.Add(PgValues.TimeArray(notifications.Select(n => (DateTimeOffset?)n.OccurredAt)));
        p.Add(PgValues.TextArray(notifications.Select(n => JsonSerializer.Serialize(n.Labels))));
        p.Add(PgValues.TextArray(notifications.Select(n => n.Summary)));
    }
}
