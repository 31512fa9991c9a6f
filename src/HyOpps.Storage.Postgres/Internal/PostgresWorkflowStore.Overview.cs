using System.Data;
using System.Text.Json;
using HyOpps.Workflows;
using HyOpps.Workflows.Storage;
using Npgsql;

namespace HyOpps.Storage.Postgres.Internal;

/// <summary>The overview: four aggregate queries in one batch and one repeatable-read snapshot, so the numbers agree with each other.</summary>
internal sealed partial class PostgresWorkflowStore
{
    public async ValueTask<ExecutionOverview> GetOverviewAsync(OverviewRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();

        // $1 now, $2 since, $3 the scope's labels (an empty object matches every execution), $4 how many failing steps.
        const string Scope = " AND e.labels @> $3";
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, transaction);
        string[] sql =
        [
            $"SELECT e.workflow_name, e.status, count(*)::int FROM {Schema}.executions e WHERE true{Scope} GROUP BY e.workflow_name, e.status",

            // The top error of a step is its most frequent, a recorded one before none.
            "SELECT workflow_name, step_id, total::int, err, n::int FROM (" +
            "SELECT workflow_name, step_id, err, n, sum(n) OVER (PARTITION BY workflow_name, step_id) AS total, " +
            "row_number() OVER (PARTITION BY workflow_name, step_id ORDER BY n DESC, err IS NULL, err COLLATE \"C\") AS rn FROM (" +
            // A step that never changed has no row: its id is in the execution's list (RunningOverlay).
            "SELECT e.workflow_name, COALESCE(s.step_id, e.step_ids[e.current_step + 1]) AS step_id, COALESCE(s.error, e.error) AS err, count(*) AS n " +
            $"FROM {Schema}.executions e LEFT JOIN {Schema}.steps s ON s.execution_id = e.id AND s.idx = e.current_step " +
            $"WHERE e.status = 'failed' AND COALESCE(e.completed_at, e.updated_at) >= $2{Scope} AND COALESCE(s.step_id, e.step_ids[e.current_step + 1]) IS NOT NULL " +
            "GROUP BY 1, 2, 3) g) r " +
            "WHERE rn = 1 ORDER BY total DESC, workflow_name COLLATE \"C\", step_id COLLATE \"C\" LIMIT $4",

            "SELECT floor(extract(epoch FROM e.created_at - $2) / 3600)::int AS h, count(*)::int " +
            $"FROM {Schema}.executions e WHERE e.created_at >= $2 AND e.created_at <= $1{Scope} GROUP BY h",

            // Due as in GetStatusAsync: due_at is already the later of the retry time and the lease, 0 when neither.
            "SELECT count(*)::int, min(t) FROM (" +
            "SELECT CASE WHEN e.due_at = 0 THEN (extract(epoch FROM e.updated_at) * 1000)::bigint ELSE e.due_at END AS t " +
            $"FROM {Schema}.executions e WHERE e.status IN ('pending', 'running'){Scope}) d WHERE t <= (extract(epoch FROM $1) * 1000)::bigint",
        ];
        var labels = JsonSerializer.Serialize(request.Labels);
        foreach (var text in sql)
        {
            var command = new NpgsqlBatchCommand(text);
            command.Parameters.Add(PgValues.Time(request.Now));
            command.Parameters.Add(PgValues.Time(request.Since));
            command.Parameters.Add(PgValues.Json(labels));
            command.Parameters.Add(PgValues.Int(request.MaxFailingSteps));
            batch.BatchCommands.Add(command);
        }

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var counts = new List<ExecutionCount>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts.Add(new ExecutionCount(PgValues.String(reader, 0), PgValues.Parse<ExecutionStatus>(reader.GetString(1)), reader.GetInt32(2)));
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var failing = new List<FailingStep>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var error = PgValues.NullableString(reader, 3);
            failing.Add(new FailingStep(PgValues.String(reader, 0), PgValues.String(reader, 1), reader.GetInt32(2), error, error is null ? 0 : reader.GetInt32(4)));
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var hourly = new Dictionary<int, int>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            hourly[reader.GetInt32(0)] = reader.GetInt32(1);
        }

        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new ExecutionOverview
        {
            Counts = [.. counts.OrderBy(c => c.WorkflowName, StringComparer.Ordinal).ThenBy(c => c.Status)],
            FailingSteps = failing,
            StartsPerHour = request.Hourly(hourly),
            DueCount = reader.GetInt32(0),
            OldestDueAt = reader.IsDBNull(1) ? null : PgValues.FromUnix(reader.GetInt64(1)),
        };
    }
}
