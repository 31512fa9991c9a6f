using System.Text.Json;
using HyOpps.Workflows.Storage;
using Microsoft.Data.Sqlite;

namespace HyOpps.Storage.Sqlite.Internal;

/// <summary>The store's writes, each one transaction of the single writer (which groups concurrent ones into one commit).</summary>
internal sealed partial class SqliteWorkflowStore
{
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
            var ids = ReadRows(select, static r => r.GetString(0));

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

                var stepQuery = w.Command($"SELECT {StepColumns} FROM steps WHERE execution_id = @id ORDER BY idx");
                stepQuery.Parameters.AddWithValue("@id", id);
                var steps = ReadRows(stepQuery, ReadStep);
                var attemptQuery = w.Command($"SELECT {AttemptColumns} FROM attempts WHERE execution_id = @id AND outcome = 'running'");
                attemptQuery.Parameters.AddWithValue("@id", id);
                var running = ReadRows(attemptQuery, ReadAttempt);

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
            .Bind("@due_at", DueAt(e))
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

    // Each row's statement is made from its column list and bound in column order, as the readers read it.
    private static readonly string InsertExecutionSql = $"INSERT INTO executions ({ExecutionColumns}, due_at) VALUES ({Parameters(ExecutionColumns)}, @due_at)";

    // An upsert rather than INSERT OR REPLACE: REPLACE deletes and re-inserts the row, twice the b-tree work of an update.
    private static readonly string UpsertStepSql = Upsert("steps", StepColumns, "execution_id", "idx");

    private static readonly string UpsertAttemptSql = Upsert("attempts", AttemptColumns, "execution_id", "step_idx", "run", "number");

    private static readonly string InsertAuditSql = $"INSERT INTO audit ({AuditColumns}) VALUES ({Parameters(AuditColumns)})";

    private static void InsertExecution(WriteContext w, ExecutionRecord e)
        => w.Statement(InsertExecutionSql).BindRow(
            e.Id, e.WorkflowName, e.WorkflowVersion, Name(e.Status), e.Input, e.IdempotencyKey, JsonSerializer.Serialize(e.Labels),
            e.CurrentStepIndex, e.CreatedAt, e.UpdatedAt, e.CompletedAt, e.NextRunAt, e.LeaseOwner, e.LeaseExpiresAt, e.FencingToken, e.Version,
            e.Error, e.ErrorType, e.WaitingReason, e.TraceParent, DueAt(e)).Execute();

    private static void UpsertStep(WriteContext w, StepRecord s)
        => w.Statement(UpsertStepSql).BindRow(
            s.ExecutionId, s.Index, s.StepId, Name(s.Status), s.Run, s.Attempts, s.Output, s.Checkpoint, s.InputOverride, s.Error, s.ErrorType,
            s.FirstAttemptAt, s.StartedAt, s.CompletedAt, s.AbandonedAttempts).Execute();

    private static void UpsertAttempt(WriteContext w, AttemptRecord a)
        => w.Statement(UpsertAttemptSql).BindRow(
            a.ExecutionId, a.StepIndex, a.StepId, a.Run, a.Number, a.WorkerId, a.StartedAt, a.EndedAt, Name(a.Outcome), a.Error, a.ErrorType,
            a.Output, a.Input).Execute();

    private static void InsertAudit(WriteContext w, AuditRecord a)
        => w.Statement(InsertAuditSql).BindRow(a.ExecutionId, a.At, a.Actor, a.Action, a.Reason, a.Detail).Execute();

    private static List<T> ReadRows<T>(SqliteCommand command, Func<SqliteDataReader, T> read)
    {
        var rows = new List<T>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>The due time the claim index orders by: the next run, or 0 (due now) when there is none.</summary>
    private static long DueAt(ExecutionRecord e) => e.NextRunAt is { } due ? ToUnix(due) : 0L;

    /// <summary>An insert of a row that updates every column but its key when the key exists.</summary>
    private static string Upsert(string table, string columns, params string[] key)
        => $"INSERT INTO {table} ({columns}) VALUES ({Parameters(columns)}) ON CONFLICT ({string.Join(", ", key)}) DO UPDATE SET " +
            string.Join(", ", Columns(columns).Except(key, StringComparer.Ordinal).Select(c => $"{c} = excluded.{c}"));

    /// <summary>The parameters of a column list, one per column and named after it: <c>@a, @b</c>.</summary>
    private static string Parameters(string columns) => string.Join(", ", Columns(columns).Select(c => "@" + c));

    private static string[] Columns(string columns) => columns.Split(", ");
}
