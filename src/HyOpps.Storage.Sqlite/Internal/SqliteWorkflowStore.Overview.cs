using System.Globalization;
using System.Text;
using HyOpps.Workflows;
using HyOpps.Workflows.Storage;

namespace HyOpps.Storage.Sqlite.Internal;

/// <summary>The overview: four aggregate queries in one read snapshot, so the numbers agree with each other.</summary>
internal sealed partial class SqliteWorkflowStore
{
    public async ValueTask<ExecutionOverview> GetOverviewAsync(OverviewRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        var scope = new StringBuilder();
        var parameters = new List<(string Name, object Value)> { ("@now", ToUnix(request.Now)), ("@since", ToUnix(request.Since)), ("@max", request.MaxFailingSteps) };
        AppendLabelFilter(scope, parameters, request.Labels);

        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = BeginSnapshot(connection);
        var counts = new List<ExecutionCount>();
        await using (var command = Query(connection, transaction,
            $"SELECT e.workflow_name, e.status, COUNT(*) FROM executions e WHERE 1 = 1{scope} GROUP BY e.workflow_name, e.status", [.. parameters]))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                counts.Add(new ExecutionCount(reader.GetString(0), Parse<ExecutionStatus>(reader.GetString(1)), reader.GetInt32(2)));
            }
        }

        var failing = new List<FailingStep>();
        await using (var command = Query(connection, transaction, FailingStepsSql(scope.ToString()), [.. parameters]))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var error = NullableString(reader, 3);
                failing.Add(new FailingStep(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), error, error is null ? 0 : reader.GetInt32(4)));
            }
        }

        var hourly = new Dictionary<int, int>();
        await using (var command = Query(connection, transaction,
            $"SELECT (e.created_at - @since) / 3600000 AS h, COUNT(*) FROM executions e WHERE e.created_at >= @since AND e.created_at <= @now{scope} GROUP BY h", [.. parameters]))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                hourly[reader.GetInt32(0)] = reader.GetInt32(1);
            }
        }

        // Due as in GetStatusAsync: due_at is next_run_at, or 0 when there is none.
        await using var due = Query(connection, transaction,
            "SELECT COUNT(*), MIN(t) FROM (" +
            "SELECT CASE WHEN e.lease_expires_at IS NULL AND e.due_at = 0 THEN e.updated_at ELSE MAX(COALESCE(e.lease_expires_at, 0), e.due_at) END AS t " +
            $"FROM executions e WHERE e.status IN ('pending', 'running'){scope}) WHERE t <= @now", [.. parameters]);
        await using var dueReader = await due.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await dueReader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new ExecutionOverview
        {
            Counts = [.. counts.OrderBy(c => c.WorkflowName, StringComparer.Ordinal).ThenBy(c => c.Status)],
            FailingSteps = failing,
            StartsPerHour = request.Hourly(hourly),
            DueCount = dueReader.GetInt32(0),
            OldestDueAt = NullableTime(dueReader, 1),
        };
    }

    // Grouped by error first, then ranked within each step: the top error of a step is its most frequent, a recorded one
    // before none. The same SQL runs on PostgreSQL (with its own placeholders and collation).
    private static string FailingStepsSql(string scope) =>
        "SELECT workflow_name, step_id, total, err, n FROM (" +
        "SELECT workflow_name, step_id, err, n, SUM(n) OVER (PARTITION BY workflow_name, step_id) AS total, " +
        "ROW_NUMBER() OVER (PARTITION BY workflow_name, step_id ORDER BY n DESC, err IS NULL, err) AS rn FROM (" +
        "SELECT e.workflow_name, s.step_id, COALESCE(s.error, e.error) AS err, COUNT(*) AS n " +
        "FROM executions e JOIN steps s ON s.execution_id = e.id AND s.idx = e.current_step " +
        $"WHERE e.status = 'failed' AND COALESCE(e.completed_at, e.updated_at) >= @since{scope} " +
        "GROUP BY e.workflow_name, s.step_id, COALESCE(s.error, e.error)) g) r " +
        "WHERE rn = 1 ORDER BY total DESC, workflow_name, step_id LIMIT @max";
}
