using HyOpps.Workflows;
using HyOpps.Workflows.Storage;
using Npgsql;

namespace HyOpps.Storage.Postgres.Internal;

/// <summary>The text of the writes' statements and how their parameters are added.</summary>
/// <remarks>
/// A commit's guard and its rows are one statement: the execution row's UPDATE is a common table expression that the
/// step, attempt and audit inserts select from, so when the guard fails nothing at all is written.
/// </remarks>
internal sealed partial class PostgresWorkflowStore
{
    private string? _createSql;
    private string? _commitSql;
    private string? _renewSql;

    private const string StepArrays =
        "$S1::integer[], $S2::text[], $S3::text[], $S4::integer[], $S5::integer[], $S6::text[], $S7::text[], $S8::text[], $S9::text[], $S10::text[], " +
        "$S11::timestamptz[], $S12::timestamptz[], $S13::timestamptz[], $S14::integer[]";

    private const string StepConflict =
        "ON CONFLICT (execution_id, idx) DO UPDATE SET step_id = excluded.step_id, status = excluded.status, run = excluded.run, attempts = excluded.attempts, " +
        "output = excluded.output, checkpoint = excluded.checkpoint, input_override = excluded.input_override, error = excluded.error, " +
        "error_type = excluded.error_type, first_attempt_at = excluded.first_attempt_at, started_at = excluded.started_at, completed_at = excluded.completed_at, abandoned = excluded.abandoned";

    private const string AttemptArrays =
        "$A1::integer[], $A2::text[], $A3::integer[], $A4::integer[], $A5::text[], $A6::timestamptz[], $A7::timestamptz[], $A8::text[], " +
        "$A9::text[], $A10::text[], $A11::text[], $A12::text[]";

    private const string AttemptConflict =
        "ON CONFLICT (execution_id, step_idx, run, number) DO UPDATE SET step_id = excluded.step_id, worker_id = excluded.worker_id, " +
        "started_at = excluded.started_at, ended_at = excluded.ended_at, outcome = excluded.outcome, error = excluded.error, " +
        "error_type = excluded.error_type, output = excluded.output, input = excluded.input";

    private string? _groupCommitSql;

    private string StepsUpsert(string source) => StepsInsert(source) + " " + StepConflict;

    // A new execution's steps are new too: a plain insert skips the speculative insertion an upsert pays for every row.
    private string StepsInsert(string source) =>
        $"INSERT INTO {Schema}.steps ({StepColumns}) SELECT {source}.id, u.* FROM {source} CROSS JOIN unnest({StepArrays}) AS u";

    private string AttemptsUpsert(string source) =>
        $"INSERT INTO {Schema}.attempts ({AttemptColumns}) SELECT {source}.id, u.* FROM {source} CROSS JOIN unnest({AttemptArrays}) AS u {AttemptConflict}";

    private string AuditInsert(string source) =>
        $"INSERT INTO {Schema}.audit (execution_id, at, actor, action, reason, detail) SELECT {source}.id, u.* FROM {source} CROSS JOIN " +
        "unnest($U1::timestamptz[], $U2::text[], $U3::text[], $U4::text[], $U5::text[]) AS u";

    /// <summary>
    /// Many executions' plain commits (no audit, no notification) as one statement: one row of the arrays per execution, each
    /// row's guard decided on its own, and the step and attempt rows of only the executions whose guard let the update through.
    /// </summary>
    /// <remarks>One statement is parsed, planned and executed where one per commit were: on the server the bulk of a step's cost.</remarks>
    private string GroupCommitSql => _groupCommitSql ??= Number(
        $"WITH e AS (UPDATE {Schema}.executions x SET status = u.status, current_step = u.current_step, updated_at = u.updated_at, " +
        "completed_at = u.completed_at, next_run_at = u.next_run_at, lease_owner = u.lease_owner, lease_expires_at = u.lease_expires_at, due_at = u.due_at, " +
        "error = u.error, error_type = u.error_type, waiting_reason = u.waiting_reason, version = x.version + 1, fencing_token = x.fencing_token + u.revoke, " +
        $"running_steps = {RunningOverlay.Merge("x.running_steps", "u.running_steps")}, running_attempts = {RunningOverlay.Merge("x.running_attempts", "u.running_attempts")} " +
        "FROM unnest($G1::text[], $G2::text[], $G3::integer[], $G4::timestamptz[], $G5::timestamptz[], $G6::timestamptz[], $G7::text[], $G8::timestamptz[], " +
        "$G9::bigint[], $G10::text[], $G11::text[], $G12::text[], $G13::bigint[], $G14::bigint[], $G15::bigint[], $G16::text[], $G17::text[]) " +
        "AS u(id, status, current_step, updated_at, completed_at, next_run_at, lease_owner, lease_expires_at, due_at, error, error_type, waiting_reason, revoke, token, version, " +
        "running_steps, running_attempts) " +
        "WHERE x.id = u.id AND (u.token IS NULL OR x.fencing_token = u.token) AND (u.version IS NULL OR x.version = u.version) RETURNING x.id), " +
        $"st AS (INSERT INTO {Schema}.steps ({StepColumns}) SELECT s.* FROM unnest($K1::text[], {StepArrays}) AS s({StepColumns}) " +
        $"WHERE s.execution_id IN (SELECT id FROM e) {StepConflict}), " +
        $"at AS (INSERT INTO {Schema}.attempts ({AttemptColumns}) SELECT a.* FROM unnest($K2::text[], {AttemptArrays}) AS a({AttemptColumns}) " +
        $"WHERE a.execution_id IN (SELECT id FROM e) {AttemptConflict}) " +
        "SELECT id FROM e");

    private string CreateSql => _createSql ??= Number(
        $"WITH ins AS (INSERT INTO {Schema}.executions ({ExecutionColumns}, due_at, step_ids) VALUES " +
        "($E1, $E2, $E3, $E4, $E5, $E6, $E7, $E8, $E9, $E10, $E11, $E12, $E13, $E14, 0, 1, $E15, $E16, $E17, $E18, $E19, $E20) " +
        "ON CONFLICT (workflow_name, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING id), " +
        $"st AS ({StepsInsert("ins")}), au AS ({AuditInsert("ins")}) " +
        $"SELECT (SELECT count(*) FROM ins)::integer, {Prefixed("x", ExecutionColumns)} FROM (SELECT 1) one " +
        $"LEFT JOIN {Schema}.executions x ON NOT EXISTS (SELECT 1 FROM ins) AND x.workflow_name = $E2 AND x.idempotency_key = $E6");

    private string CommitSql => _commitSql ??= Number(CommitStatement(string.Empty));

    private string CommitStatement(string more) =>
        $"WITH e AS (UPDATE {Schema}.executions SET status = $C2, current_step = $C3, updated_at = $C4, completed_at = $C5, next_run_at = $C6, " +
        "lease_owner = $C7, lease_expires_at = $C8, due_at = $C9, error = $C10, error_type = $C11, waiting_reason = $C12, " +
        "version = version + 1, fencing_token = fencing_token + $C13, " +
        $"running_steps = {RunningOverlay.Merge("running_steps", "$C16::text")}, running_attempts = {RunningOverlay.Merge("running_attempts", "$C17::text")} " +
        "WHERE id = $C1 AND ($C14::bigint IS NULL OR fencing_token = $C14) AND ($C15::bigint IS NULL OR version = $C15) RETURNING id), " +
        $"st AS ({StepsUpsert("e")}), at AS ({AttemptsUpsert("e")}), au AS ({AuditInsert("e")}){more} " +
        "SELECT count(*)::integer FROM e";

    private string RenewSql => _renewSql ??=
        $"UPDATE {Schema}.executions SET lease_expires_at = $2, due_at = $3 WHERE id = $1 AND fencing_token = $4 AND lease_owner IS NOT NULL RETURNING 1";

    // Named placeholders keep the statements readable; PostgreSQL wants them numbered: $E1..$E20, $C1..$C17 or $G1..$G17, then the arrays.
    private static string Number(string sql)
    {
        var order = new[] { "E", "C", "G", "K", "S", "A", "U", "N" };
        var counts = new Dictionary<string, int> { ["E"] = 20, ["C"] = 17, ["G"] = 17, ["K"] = 2, ["S"] = 14, ["A"] = 12, ["U"] = 5, ["N"] = NotificationParameters };
        var offset = 0;
        foreach (var prefix in order)
        {
            if (!sql.Contains("$" + prefix + "1", StringComparison.Ordinal))
            {
                continue;
            }

            // Replace the longest names first, so that $S1 does not eat into $S13.
            for (var i = counts[prefix]; i >= 1; i--)
            {
                sql = sql.Replace($"${prefix}{i}", $"${offset + i}", StringComparison.Ordinal);
            }

            offset += counts[prefix];
        }

        return sql;
    }

    private static void AddSteps(NpgsqlBatchCommand command, IReadOnlyList<StepRecord> steps)
    {
        var p = command.Parameters;
        p.Add(PgValues.IntArray(steps.Select(s => s.Index)));
        p.Add(PgValues.TextArray(steps.Select(s => s.StepId)));
        p.Add(PgValues.TextArray(steps.Select(s => PgValues.Name(s.Status))));
        p.Add(PgValues.IntArray(steps.Select(s => s.Run)));
        p.Add(PgValues.IntArray(steps.Select(s => s.Attempts)));
        p.Add(PgValues.TextArray(steps.Select(s => s.Output)));
        p.Add(PgValues.TextArray(steps.Select(s => s.Checkpoint)));
        p.Add(PgValues.TextArray(steps.Select(s => s.InputOverride)));
        p.Add(PgValues.TextArray(steps.Select(s => s.Error)));
        p.Add(PgValues.TextArray(steps.Select(s => s.ErrorType)));
        p.Add(PgValues.TimeArray(steps.Select(s => s.FirstAttemptAt)));
        p.Add(PgValues.TimeArray(steps.Select(s => s.StartedAt)));
        p.Add(PgValues.TimeArray(steps.Select(s => s.CompletedAt)));
        p.Add(PgValues.IntArray(steps.Select(s => s.AbandonedAttempts)));
    }

    private static void AddAttempts(NpgsqlBatchCommand command, IReadOnlyList<AttemptRecord> attempts)
    {
        var p = command.Parameters;
        p.Add(PgValues.IntArray(attempts.Select(a => a.StepIndex)));
        p.Add(PgValues.TextArray(attempts.Select(a => a.StepId)));
        p.Add(PgValues.IntArray(attempts.Select(a => a.Run)));
        p.Add(PgValues.IntArray(attempts.Select(a => a.Number)));
        p.Add(PgValues.TextArray(attempts.Select(a => a.WorkerId)));
        p.Add(PgValues.TimeArray(attempts.Select(a => (DateTimeOffset?)a.StartedAt)));
        p.Add(PgValues.TimeArray(attempts.Select(a => a.EndedAt)));
        p.Add(PgValues.TextArray(attempts.Select(a => PgValues.Name(a.Outcome))));
        p.Add(PgValues.TextArray(attempts.Select(a => a.Error)));
        p.Add(PgValues.TextArray(attempts.Select(a => a.ErrorType)));
        p.Add(PgValues.TextArray(attempts.Select(a => a.Output)));
        p.Add(PgValues.TextArray(attempts.Select(a => a.Input)));
    }

    private static void AddAudit(NpgsqlBatchCommand command, IReadOnlyList<AuditRecord> audit)
    {
        var p = command.Parameters;
        p.Add(PgValues.TimeArray(audit.Select(a => (DateTimeOffset?)a.At)));
        p.Add(PgValues.TextArray(audit.Select(a => a.Actor)));
        p.Add(PgValues.TextArray(audit.Select(a => a.Action)));
        p.Add(PgValues.TextArray(audit.Select(a => a.Reason)));
        p.Add(PgValues.TextArray(audit.Select(a => a.Detail)));
    }
}
