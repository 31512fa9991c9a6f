using System.Globalization;
using System.Text;
using System.Text.Json;
using HyOpps.Workflows;
using HyOpps.Workflows.Storage;
using Microsoft.Data.Sqlite;

namespace HyOpps.Storage.Sqlite.Internal;

internal sealed partial class SqliteWorkflowStore : IWorkflowStore, IResourceLockStore, IAsyncDisposable
{
    private const string ExecutionColumns =
        "id, workflow_name, workflow_version, status, input, idempotency_key, labels, current_step, created_at, updated_at, " +
        "completed_at, next_run_at, lease_owner, lease_expires_at, fencing_token, version, error, error_type, waiting_reason, trace_parent";

    private const string StepColumns =
        "execution_id, idx, step_id, status, run, attempts, output, checkpoint, input_override, error, error_type, first_attempt_at, started_at, completed_at, abandoned";

    private const string AttemptColumns =
        "execution_id, step_idx, step_id, run, number, worker_id, started_at, ended_at, outcome, error, error_type, output, input";

    private readonly SqliteStoreOptions _options;
    private readonly string _connectionString;
    private readonly SemaphoreSlim _initLock = new(1, 1);
    private SqliteWriter? _writer;

    public SqliteWorkflowStore(SqliteStoreOptions options)
    {
        _options = options;
        var builder = new SqliteConnectionStringBuilder(options.ConnectionString)
        {
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        };
        _connectionString = builder.ToString();
    }

    public async ValueTask InitializeAsync(CancellationToken cancellationToken)
    {
        await _initLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_writer is not null)
            {
                return;
            }

            var connection = new SqliteConnection(_connectionString);
            try
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                using (var pragma = connection.CreateCommand())
                {
                    var synchronous = _options.Synchronous == SqliteSynchronousMode.Full ? "FULL" : "NORMAL";
                    // auto_vacuum can only be chosen before the first table exists: new files give deleted pages back
                    // (retention runs an incremental vacuum); an existing file keeps its mode (see the README).
                    pragma.CommandText = $"PRAGMA auto_vacuum=INCREMENTAL; PRAGMA journal_mode=WAL; PRAGMA synchronous={synchronous};";
                    pragma.ExecuteNonQuery();
                }

                SqliteSchema.Migrate(connection, SqliteSchema.LatestVersion);

                // The writer's prepared statements bypass Microsoft.Data.Sqlite's busy retry loop: SQLite itself waits for
                // another process's write lock, up to the same timeout.
                SQLitePCL.raw.sqlite3_busy_timeout(connection.Handle, (int)Math.Min(int.MaxValue, _options.BusyTimeout.TotalMilliseconds));
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            _writer = new SqliteWriter(connection, _options.MaxBatchSize);
        }
        finally
        {
            _initLock.Release();
        }
    }

    public async ValueTask<CreateExecutionResult> CreateExecutionAsync(ExecutionRecord execution, IReadOnlyList<StepRecord> steps, IReadOnlyList<AuditRecord> audit, CancellationToken cancellationToken)
    {
        var writer = await WriterAsync(cancellationToken).ConfigureAwait(false);
        return await writer.WriteAsync(w =>
        {
            if (execution.IdempotencyKey is not null)
            {
                var find = w.Command($"SELECT {ExecutionColumns} FROM executions WHERE workflow_name = @w AND idempotency_key = @k");
                find.Parameters.AddWithValue("@w", execution.WorkflowName);
                find.Parameters.AddWithValue("@k", execution.IdempotencyKey);
                using var reader = find.ExecuteReader();
                if (reader.Read())
                {
                    return new CreateExecutionResult(ReadExecution(reader), Created: false);
                }
            }

            var created = execution with { FencingToken = 0, Version = 1 };
            InsertExecution(w, created);
            foreach (var (key, value) in created.Labels)
            {
                w.Statement("INSERT OR IGNORE INTO execution_labels (key, value, execution_id) VALUES (@k, @v, @id)")
                    .Bind("@k", key).Bind("@v", value).Bind("@id", created.Id).Execute();
            }

            foreach (var step in steps)
            {
                UpsertStep(w, step);
            }

            foreach (var entry in audit)
            {
                InsertAudit(w, entry);
            }

            return new CreateExecutionResult(created, Created: true);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<ClaimedExecution>> ClaimAsync(ClaimRequest request, CancellationToken cancellationToken)
    {
        var writer = await WriterAsync(cancellationToken).ConfigureAwait(false);
        return await writer.WriteAsync<IReadOnlyList<ClaimedExecution>>(w =>
        {
            var now = ToUnix(request.Now);
            var select = w.Command(
                "SELECT id FROM executions WHERE status IN ('pending', 'running') AND due_at <= @now " +
                "AND (lease_expires_at IS NULL OR lease_expires_at <= @now) ORDER BY due_at LIMIT @max");
            select.Parameters.AddWithValue("@now", now);
            select.Parameters.AddWithValue("@max", request.MaxCount);
            var ids = new List<string>();
            using (var reader = select.ExecuteReader())
            {
                while (reader.Read())
                {
                    ids.Add(reader.GetString(0));
                }
            }

            var claims = new List<ClaimedExecution>(ids.Count);
            foreach (var id in ids)
            {
                var update = w.Command(
                    "UPDATE executions SET lease_owner = @owner, lease_expires_at = @expires, fencing_token = fencing_token + 1, version = version + 1 " +
                    $"WHERE id = @id RETURNING {ExecutionColumns}");
                update.Parameters.AddWithValue("@owner", request.WorkerId);
                update.Parameters.AddWithValue("@expires", ToUnix(request.Now + request.LeaseDuration));
                update.Parameters.AddWithValue("@id", id);
                ExecutionRecord execution;
                using (var reader = update.ExecuteReader())
                {
                    reader.Read();
                    execution = ReadExecution(reader);
                }

                var steps = new List<StepRecord>();
                var stepQuery = w.Command($"SELECT {StepColumns} FROM steps WHERE execution_id = @id ORDER BY idx");
                stepQuery.Parameters.AddWithValue("@id", id);
                using (var reader = stepQuery.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        steps.Add(ReadStep(reader));
                    }
                }

                var running = new List<AttemptRecord>();
                var attemptQuery = w.Command($"SELECT {AttemptColumns} FROM attempts WHERE execution_id = @id AND outcome = 'running'");
                attemptQuery.Parameters.AddWithValue("@id", id);
                using (var reader = attemptQuery.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        running.Add(ReadAttempt(reader));
                    }
                }

                claims.Add(new ClaimedExecution(execution, steps, running));
            }

            return claims;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> RenewLeaseAsync(string executionId, long fencingToken, DateTimeOffset leaseExpiresAt, CancellationToken cancellationToken)
    {
        var writer = await WriterAsync(cancellationToken).ConfigureAwait(false);
        return await writer.WriteAsync(w =>
        {
            var update = w.Command("UPDATE executions SET lease_expires_at = @expires WHERE id = @id AND fencing_token = @token AND lease_owner IS NOT NULL");
            update.Parameters.AddWithValue("@expires", ToUnix(leaseExpiresAt));
            update.Parameters.AddWithValue("@id", executionId);
            update.Parameters.AddWithValue("@token", fencingToken);
            return update.ExecuteNonQuery() == 1;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> CommitAsync(ExecutionCommit commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commit);
        if (commit.ExpectedFencingToken is null && commit.ExpectedVersion is null)
        {
            throw new ArgumentException("A commit needs a guard: an expected fencing token or an expected version.", nameof(commit));
        }

        var writer = await WriterAsync(cancellationToken).ConfigureAwait(false);
        return await writer.WriteAsync(w =>
        {
            // Most commits are a step's progress, which leaves the status and the due time as they were. SQLite rewrites the
            // entries of every index on a column an UPDATE sets, whatever the value, so that case sets neither and touches
            // no secondary index; a commit that changes either falls through to the full update.
            var changed = UpdateExecution(w, ProgressUpdate, commit);
            if (changed != 1)
            {
                changed = UpdateExecution(w, FullUpdate, commit);
            }

            if (changed != 1)
            {
                return false;
            }

            foreach (var step in commit.Steps)
            {
                UpsertStep(w, step);
            }

            foreach (var attempt in commit.Attempts)
            {
                UpsertAttempt(w, attempt);
            }

            foreach (var entry in commit.Audit)
            {
                InsertAudit(w, entry);
            }

            foreach (var notification in commit.Notifications)
            {
                InsertNotification(w, notification);
            }

            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

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
        var audit = await ReadAllAsync(connection, transaction, "SELECT execution_id, at, actor, action, reason, detail FROM audit WHERE execution_id = @id ORDER BY id", executionId, ReadAudit, cancellationToken).ConfigureAwait(false);
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

        var labelIndex = 0;
        foreach (var (key, value) in query.Labels)
        {
            // IN rather than EXISTS: the count can then start from the label's rows instead of scanning every execution.
            where.Append(CultureInfo.InvariantCulture, $" AND e.id IN (SELECT l.execution_id FROM execution_labels l WHERE l.key = @lk{labelIndex} AND l.value = @lv{labelIndex})");
            parameters.Add(($"@lk{labelIndex}", key));
            parameters.Add(($"@lv{labelIndex}", value));
            labelIndex++;
        }

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

    public async ValueTask DisposeAsync()
    {
        if (_writer is { } writer)
        {
            _writer = null;
            await writer.DisposeAsync().ConfigureAwait(false);
        }

        _initLock.Dispose();
    }

    private async ValueTask<SqliteWriter> WriterAsync(CancellationToken cancellationToken)
    {
        if (_writer is { } writer)
        {
            return writer;
        }

        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return _writer!;
    }

    private async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        if (_writer is null)
        {
            await InitializeAsync(cancellationToken).ConfigureAwait(false);
        }

        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    // Microsoft.Data.Sqlite begins IMMEDIATE transactions by default, which take the write lock: a reader would then
    // queue behind the writer and, when busy, sleep in 150 ms steps. A deferred transaction is a WAL read snapshot.
    private static SqliteTransaction BeginSnapshot(SqliteConnection connection) => connection.BeginTransaction(deferred: true);

    private static SqliteCommand Query(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    private static async Task<List<T>> ReadAllAsync<T>(SqliteConnection connection, SqliteTransaction transaction, string sql, string id, Func<SqliteDataReader, T> read, CancellationToken cancellationToken)
    {
        var list = new List<T>();
        await using var command = Query(connection, transaction, sql, ("@id", id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(read(reader));
        }

        return list;
    }

    private const string FullUpdate =
        "UPDATE executions SET status = @status, current_step = @current_step, updated_at = @updated_at, completed_at = @completed_at, " +
        "next_run_at = @next_run_at, due_at = @due_at, lease_owner = @lease_owner, lease_expires_at = @lease_expires_at, error = @error, " +
        "error_type = @error_type, waiting_reason = @waiting_reason, version = version + 1, fencing_token = fencing_token + @revoke " +
        "WHERE id = @id AND (@expected_token IS NULL OR fencing_token = @expected_token) AND (@expected_version IS NULL OR version = @expected_version)";

    private const string ProgressUpdate =
        "UPDATE executions SET current_step = @current_step, updated_at = @updated_at, completed_at = @completed_at, " +
        "next_run_at = @next_run_at, lease_owner = @lease_owner, lease_expires_at = @lease_expires_at, error = @error, " +
        "error_type = @error_type, waiting_reason = @waiting_reason, version = version + 1, fencing_token = fencing_token + @revoke " +
        "WHERE id = @id AND status = @status AND due_at = @due_at " +
        "AND (@expected_token IS NULL OR fencing_token = @expected_token) AND (@expected_version IS NULL OR version = @expected_version)";

    private static int UpdateExecution(WriteContext w, string sql, ExecutionCommit commit)
    {
        var e = commit.Execution;
        return w.Statement(sql)
            .Bind("@id", e.Id)
            .Bind("@status", Name(e.Status))
            .Bind("@current_step", e.CurrentStepIndex)
            .Bind("@updated_at", e.UpdatedAt)
            .Bind("@completed_at", e.CompletedAt)
            .Bind("@next_run_at", e.NextRunAt)
            .Bind("@due_at", e.NextRunAt is { } due ? ToUnix(due) : 0L)
            .Bind("@lease_owner", e.LeaseOwner)
            .Bind("@lease_expires_at", e.LeaseExpiresAt)
            .Bind("@error", e.Error)
            .Bind("@error_type", e.ErrorType)
            .Bind("@waiting_reason", e.WaitingReason)
            .Bind("@revoke", commit.RevokeLease ? 1 : 0)
            .Bind("@expected_token", commit.ExpectedFencingToken)
            .Bind("@expected_version", commit.ExpectedVersion)
            .Execute();
    }

    private static void InsertExecution(WriteContext w, ExecutionRecord e)
        => w.Statement(
            $"INSERT INTO executions ({ExecutionColumns}, due_at) VALUES (@id, @workflow_name, @workflow_version, @status, @input, @idempotency_key, @labels, " +
            "@current_step, @created_at, @updated_at, @completed_at, @next_run_at, @lease_owner, @lease_expires_at, @fencing_token, @version, @error, " +
            "@error_type, @waiting_reason, @trace_parent, @due_at)")
            .Bind("@id", e.Id)
            .Bind("@workflow_name", e.WorkflowName)
            .Bind("@workflow_version", e.WorkflowVersion)
            .Bind("@status", Name(e.Status))
            .Bind("@input", e.Input)
            .Bind("@idempotency_key", e.IdempotencyKey)
            .Bind("@labels", JsonSerializer.Serialize(e.Labels))
            .Bind("@current_step", e.CurrentStepIndex)
            .Bind("@created_at", e.CreatedAt)
            .Bind("@updated_at", e.UpdatedAt)
            .Bind("@completed_at", e.CompletedAt)
            .Bind("@next_run_at", e.NextRunAt)
            .Bind("@lease_owner", e.LeaseOwner)
            .Bind("@lease_expires_at", e.LeaseExpiresAt)
            .Bind("@fencing_token", e.FencingToken)
            .Bind("@version", e.Version)
            .Bind("@error", e.Error)
            .Bind("@error_type", e.ErrorType)
            .Bind("@waiting_reason", e.WaitingReason)
            .Bind("@trace_parent", e.TraceParent)
            .Bind("@due_at", e.NextRunAt is { } due ? ToUnix(due) : 0L)
            .Execute();

    // An upsert rather than INSERT OR REPLACE: REPLACE deletes and re-inserts the row, twice the b-tree work of an update.
    private static void UpsertStep(WriteContext w, StepRecord s)
        => w.Statement(
            $"INSERT INTO steps ({StepColumns}) VALUES (@execution_id, @idx, @step_id, @status, @run, @attempts, @output, @checkpoint, " +
            "@input_override, @error, @error_type, @first_attempt_at, @started_at, @completed_at, @abandoned) " +
            "ON CONFLICT (execution_id, idx) DO UPDATE SET step_id = excluded.step_id, status = excluded.status, run = excluded.run, " +
            "attempts = excluded.attempts, output = excluded.output, checkpoint = excluded.checkpoint, input_override = excluded.input_override, " +
            "error = excluded.error, error_type = excluded.error_type, first_attempt_at = excluded.first_attempt_at, " +
            "started_at = excluded.started_at, completed_at = excluded.completed_at, abandoned = excluded.abandoned")
            .Bind("@execution_id", s.ExecutionId)
            .Bind("@idx", s.Index)
            .Bind("@step_id", s.StepId)
            .Bind("@status", Name(s.Status))
            .Bind("@run", s.Run)
            .Bind("@attempts", s.Attempts)
            .Bind("@output", s.Output)
            .Bind("@checkpoint", s.Checkpoint)
            .Bind("@input_override", s.InputOverride)
            .Bind("@error", s.Error)
            .Bind("@error_type", s.ErrorType)
            .Bind("@first_attempt_at", s.FirstAttemptAt)
            .Bind("@started_at", s.StartedAt)
            .Bind("@completed_at", s.CompletedAt)
            .Bind("@abandoned", s.AbandonedAttempts)
            .Execute();

    private static void UpsertAttempt(WriteContext w, AttemptRecord a)
        => w.Statement(
            $"INSERT INTO attempts ({AttemptColumns}) VALUES (@execution_id, @step_idx, @step_id, @run, @number, @worker_id, " +
            "@started_at, @ended_at, @outcome, @error, @error_type, @output, @input) " +
            "ON CONFLICT (execution_id, step_idx, run, number) DO UPDATE SET step_id = excluded.step_id, worker_id = excluded.worker_id, " +
            "started_at = excluded.started_at, ended_at = excluded.ended_at, outcome = excluded.outcome, error = excluded.error, " +
            "error_type = excluded.error_type, output = excluded.output, input = excluded.input")
            .Bind("@execution_id", a.ExecutionId)
            .Bind("@step_idx", a.StepIndex)
            .Bind("@step_id", a.StepId)
            .Bind("@run", a.Run)
            .Bind("@number", a.Number)
            .Bind("@worker_id", a.WorkerId)
            .Bind("@started_at", a.StartedAt)
            .Bind("@ended_at", a.EndedAt)
            .Bind("@outcome", Name(a.Outcome))
            .Bind("@error", a.Error)
            .Bind("@error_type", a.ErrorType)
            .Bind("@output", a.Output)
            .Bind("@input", a.Input)
            .Execute();

    private static void InsertAudit(WriteContext w, AuditRecord a)
        => w.Statement("INSERT INTO audit (execution_id, at, actor, action, reason, detail) VALUES (@execution_id, @at, @actor, @action, @reason, @detail)")
            .Bind("@execution_id", a.ExecutionId)
            .Bind("@at", a.At)
            .Bind("@actor", a.Actor)
            .Bind("@action", a.Action)
            .Bind("@reason", a.Reason)
            .Bind("@detail", a.Detail)
            .Execute();

    private static ExecutionRecord ReadExecution(SqliteDataReader r) => new()
    {
        Id = r.GetString(0),
        WorkflowName = r.GetString(1),
        WorkflowVersion = r.GetInt32(2),
        Status = Parse<ExecutionStatus>(r.GetString(3)),
        Input = r.GetString(4),
        IdempotencyKey = NullableString(r, 5),
        Labels = JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(6)) ?? [],
        CurrentStepIndex = r.GetInt32(7),
        CreatedAt = FromUnix(r.GetInt64(8)),
        UpdatedAt = FromUnix(r.GetInt64(9)),
        CompletedAt = NullableTime(r, 10),
        NextRunAt = NullableTime(r, 11),
        LeaseOwner = NullableString(r, 12),
        LeaseExpiresAt = NullableTime(r, 13),
        FencingToken = r.GetInt64(14),
        Version = r.GetInt64(15),
        Error = NullableString(r, 16),
        ErrorType = NullableString(r, 17),
        WaitingReason = NullableString(r, 18),
        TraceParent = NullableString(r, 19),
    };

    private static StepRecord ReadStep(SqliteDataReader r) => new()
    {
        ExecutionId = r.GetString(0),
        Index = r.GetInt32(1),
        StepId = r.GetString(2),
        Status = Parse<StepStatus>(r.GetString(3)),
        Run = r.GetInt32(4),
        Attempts = r.GetInt32(5),
        Output = NullableString(r, 6),
        Checkpoint = NullableString(r, 7),
        InputOverride = NullableString(r, 8),
        Error = NullableString(r, 9),
        ErrorType = NullableString(r, 10),
        FirstAttemptAt = NullableTime(r, 11),
        StartedAt = NullableTime(r, 12),
        CompletedAt = NullableTime(r, 13),
        AbandonedAttempts = r.GetInt32(14),
    };

    private static AttemptRecord ReadAttempt(SqliteDataReader r) => new()
    {
        ExecutionId = r.GetString(0),
        StepIndex = r.GetInt32(1),
        StepId = r.GetString(2),
        Run = r.GetInt32(3),
        Number = r.GetInt32(4),
        WorkerId = NullableString(r, 5),
        StartedAt = FromUnix(r.GetInt64(6)),
        EndedAt = NullableTime(r, 7),
        Outcome = Parse<AttemptOutcome>(r.GetString(8)),
        Error = NullableString(r, 9),
        ErrorType = NullableString(r, 10),
        Output = NullableString(r, 11),
        Input = NullableString(r, 12),
    };

    private static AuditRecord ReadAudit(SqliteDataReader r) => new()
    {
        ExecutionId = r.GetString(0),
        At = FromUnix(r.GetInt64(1)),
        Actor = r.GetString(2),
        Action = r.GetString(3),
        Reason = NullableString(r, 4),
        Detail = NullableString(r, 5),
    };

    private static string Name<T>(T value)
        where T : struct, Enum
        => EnumNames<T>.ByValue.TryGetValue(value, out var name) ? name : JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    private static T Parse<T>(string value)
        where T : struct, Enum
        => EnumNames<T>.ByName.TryGetValue(value, out var parsed) ? parsed : Enum.Parse<T>(value.Replace("_", string.Empty, StringComparison.Ordinal), ignoreCase: true);

    private static long ToUnix(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    private static DateTimeOffset FromUnix(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);

    private static string? NullableString(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static DateTimeOffset? NullableTime(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : FromUnix(r.GetInt64(i));

    // Status names are written and read on every commit and row: computed once per enum.
    private static class EnumNames<T>
        where T : struct, Enum
    {
        public static readonly Dictionary<T, string> ByValue = Enum.GetValues<T>().ToDictionary(v => v, v => JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString()));

        public static readonly Dictionary<string, T> ByName = ByValue.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
    }
}
