using System.Globalization;
using System.Text;
using System.Text.Json;
using HyOpps.Workflows;
using HyOpps.Workflows.Storage;

namespace HyOpps.Storage.Sqlite.Internal;

/// <summary>The store's reads, each on its own connection in a WAL read snapshot, so that none waits for the writer.</summary>
internal sealed partial class SqliteWorkflowStore
{
    public async ValueTask<ExecutionSnapshot?> GetExecutionAsync(string executionId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = BeginSnapshot(connection);
        ExecutionRecord execution;
        await using (var command = Query(connection, transaction, $"SELECT {ExecutionColumns} FROM executions WHERE id = @id", ("@id", executionId)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            execution = ReadExecution(reader);
        }

        var steps = await ReadAllAsync(connection, transaction, $"SELECT {StepColumns} FROM steps WHERE execution_id = @id ORDER BY idx", executionId, ReadStep, cancellationToken).ConfigureAwait(false);
        var attempts = await ReadAllAsync(connection, transaction, $"SELECT {AttemptColumns} FROM attempts WHERE execution_id = @id ORDER BY step_idx, run, number", executionId, ReadAttempt, cancellationToken).ConfigureAwait(false);
        var audit = await ReadAllAsync(connection, transaction, $"SELECT {AuditColumns} FROM audit WHERE execution_id = @id ORDER BY id", executionId, ReadAudit, cancellationToken).ConfigureAwait(false);
        return new ExecutionSnapshot(execution, steps, attempts, audit);
    }

    public async ValueTask<IReadOnlyList<ExecutionRecord>> GetExecutionRecordsAsync(IReadOnlyList<string> executionIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(executionIds);
        var rows = new List<ExecutionRecord>(executionIds.Count);
        if (executionIds.Count == 0)
        {
            return rows;
        }

        // One parameter for any number of ids: a JSON array, expanded by json_each.
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Query(connection, null, $"SELECT {ExecutionColumns} FROM executions WHERE id IN (SELECT value FROM json_each(@ids))",
            ("@ids", JsonSerializer.Serialize(executionIds)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(ReadExecution(reader));
        }

        return rows;
    }

    public async ValueTask<ExecutionRecord?> GetExecutionRecordAsync(string executionId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Query(connection, null, $"SELECT {ExecutionColumns} FROM executions WHERE id = @id", ("@id", executionId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadExecution(reader) : null;
    }

    public async ValueTask<ExecutionPage> ListExecutionsAsync(ExecutionQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = new StringBuilder("WHERE 1 = 1");
        var parameters = new List<(string, object)>();
        if (query.WorkflowName is not null)
        {
            where.Append(" AND e.workflow_name = @workflow");
            parameters.Add(("@workflow", query.WorkflowName));
        }

        if (query.Statuses.Count > 0)
        {
            var names = query.Statuses.Select((s, i) => (Name: $"@status{i}", Value: Name(s))).ToArray();
            where.Append(" AND e.status IN (").Append(string.Join(", ", names.Select(n => n.Name))).Append(')');
            parameters.AddRange(names.Select(n => (n.Name, (object)n.Value)));
        }

        AppendLabelFilter(where, parameters, query.Labels);

        if (query.AnyLabelValue is { } anyValue)
        {
            where.Append(" AND e.id IN (SELECT l.execution_id FROM execution_labels l WHERE l.value = @any_label_value)");
            parameters.Add(("@any_label_value", anyValue));
        }

        if (query.CreatedFrom is { } from)
        {
            where.Append(" AND e.created_at >= @from");
            parameters.Add(("@from", ToUnix(from)));
        }

        if (query.CreatedTo is { } to)
        {
            where.Append(" AND e.created_at < @to");
            parameters.Add(("@to", ToUnix(to)));
        }

        if (query.CurrentStepId is not null)
        {
            where.Append(" AND EXISTS (SELECT 1 FROM steps s WHERE s.execution_id = e.id AND s.idx = e.current_step AND s.step_id = @current_step)");
            parameters.Add(("@current_step", query.CurrentStepId));
        }

        if (query.NextRunAfter is { } runAfter)
        {
            where.Append(" AND e.next_run_at > @run_after");
            parameters.Add(("@run_after", ToUnix(runAfter)));
        }

        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = BeginSnapshot(connection);
        int total;
        await using (var count = Query(connection, transaction, $"SELECT COUNT(*) FROM executions e {where}", [.. parameters]))
        {
            total = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        var items = new List<ExecutionRecord>();
        parameters.Add(("@limit", query.Limit));
        parameters.Add(("@offset", query.Offset));
        var columns = string.Join(", ", ExecutionColumns.Split(", ").Select(c => "e." + c));
        await using (var select = Query(connection, transaction, $"SELECT {columns} FROM executions e {where} ORDER BY e.created_at DESC, e.id DESC LIMIT @limit OFFSET @offset", [.. parameters]))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                items.Add(ReadExecution(reader));
            }
        }

        return new ExecutionPage(items, total);
    }

    public async ValueTask<DateTimeOffset?> GetNextWakeTimeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Query(connection, null,
            "SELECT MIN(t) FROM (" +
            "SELECT MIN(due_at) AS t FROM executions WHERE status IN ('pending', 'running') AND lease_expires_at IS NULL " +
            "UNION ALL SELECT MIN(lease_expires_at) FROM executions WHERE status IN ('pending', 'running') AND lease_expires_at IS NOT NULL)");
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is long ms ? FromUnix(ms) : null;
    }

    public async ValueTask<WorkflowStoreStatus> GetStatusAsync(WorkflowStoreStatusRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = BeginSnapshot(connection);
        var schemaCurrent = SqliteSchema.ReadVersion(connection, transaction) == SqliteSchema.LatestVersion;

        // due_at is next_run_at, or 0 when there is none.
        await using var command = Query(connection, transaction,
            "SELECT COUNT(*), MIN(t), COALESCE(SUM(t < @stuck), 0) FROM (" +
            "SELECT CASE WHEN lease_expires_at IS NULL AND due_at = 0 THEN updated_at ELSE MAX(COALESCE(lease_expires_at, 0), due_at) END AS t " +
            "FROM executions WHERE status IN ('pending', 'running')) WHERE t <= @now",
            ("@now", ToUnix(request.Now)), ("@stuck", ToUnix(request.StuckBefore)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new WorkflowStoreStatus(
            schemaCurrent,
            DueCount: reader.GetInt32(0),
            OldestDueAt: NullableTime(reader, 1),
            StuckCount: reader.GetInt32(2));
    }
}
