using System.Globalization;
using Npgsql;

namespace HyOpps.Storage.Postgres.Internal;

/// <summary>The schema, created and migrated by version in one transaction under an advisory lock, so that several hosts starting at once migrate once.</summary>
internal static class PostgresSchema
{
    // {0} is the schema name, validated as a plain identifier.
    private static readonly string[] Migrations =
    [
        // 1: executions, steps, attempts, audit, resource leases.
        """
        CREATE TABLE {0}.executions (
            id text NOT NULL PRIMARY KEY,
            workflow_name text NOT NULL,
            workflow_version integer NOT NULL,
            status text NOT NULL,
            input text NOT NULL,
            idempotency_key text,
            labels jsonb NOT NULL,
            current_step integer NOT NULL,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            completed_at timestamptz,
            next_run_at timestamptz,
            lease_owner text,
            lease_expires_at timestamptz,
            due_at bigint NOT NULL,
            fencing_token bigint NOT NULL,
            version bigint NOT NULL,
            error text,
            error_type text,
            waiting_reason text,
            trace_parent text
        ) WITH (fillfactor = 80);
        COMMENT ON COLUMN {0}.executions.due_at IS 'Unix milliseconds from which a worker may claim the execution: the later of next_run_at and lease_expires_at, 0 when neither.';
        CREATE UNIQUE INDEX ux_executions_idempotency ON {0}.executions (workflow_name, idempotency_key) WHERE idempotency_key IS NOT NULL;
        CREATE INDEX ix_executions_runnable ON {0}.executions (due_at, created_at) WHERE status IN ('pending', 'running');
        CREATE INDEX ix_executions_created ON {0}.executions (created_at);
        CREATE INDEX ix_executions_status ON {0}.executions (status, created_at);
        CREATE INDEX ix_executions_workflow ON {0}.executions (workflow_name, created_at);
        CREATE INDEX ix_executions_labels ON {0}.executions USING gin (labels jsonb_path_ops);
        CREATE TABLE {0}.steps (
            execution_id text NOT NULL,
            idx integer NOT NULL,
            step_id text NOT NULL,
            status text NOT NULL,
            run integer NOT NULL,
            attempts integer NOT NULL,
            output text,
            checkpoint text,
            input_override text,
            error text,
            error_type text,
            first_attempt_at timestamptz,
            started_at timestamptz,
            completed_at timestamptz,
            abandoned integer NOT NULL,
            PRIMARY KEY (execution_id, idx)
        ) WITH (fillfactor = 80);
        CREATE TABLE {0}.attempts (
            execution_id text NOT NULL,
            step_idx integer NOT NULL,
            step_id text NOT NULL,
            run integer NOT NULL,
            number integer NOT NULL,
            worker_id text,
            started_at timestamptz NOT NULL,
            ended_at timestamptz,
            outcome text NOT NULL,
            error text,
            error_type text,
            output text,
            PRIMARY KEY (execution_id, step_idx, run, number)
        ) WITH (fillfactor = 80);
        CREATE INDEX ix_attempts_running ON {0}.attempts (execution_id) WHERE outcome = 'running';
        CREATE TABLE {0}.audit (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            execution_id text NOT NULL,
            at timestamptz NOT NULL,
            actor text NOT NULL,
            action text NOT NULL,
            reason text,
            detail text
        );
        CREATE INDEX ix_audit_execution ON {0}.audit (execution_id, id);
        CREATE TABLE {0}.resource_locks (
            resource text NOT NULL PRIMARY KEY,
            owner text,
            fencing_token bigint NOT NULL,
            expires_at timestamptz NOT NULL
        );
        """,

        // 2: the input each attempt of a typed step was given (secrets removed), shown beside its output.
        """
        ALTER TABLE {0}.attempts ADD COLUMN input text;
        """,

        // 3: an attempt's end changes its outcome, which the partial index of running attempts covers, so no end could be a
        // heap-only update. The primary key's leading execution_id finds a claimed execution's running attempts as well.
        """
        DROP INDEX IF EXISTS {0}.ix_attempts_running;
        """,

        // 4: the notification outbox, written in the commit that fails an execution or makes a step wait for approval.
        """
        CREATE TABLE {0}.notifications (
            seq bigserial NOT NULL,
            event_id text NOT NULL PRIMARY KEY,
            kind text NOT NULL,
            execution_id text NOT NULL,
            workflow_name text NOT NULL,
            step_id text,
            occurred_at timestamptz NOT NULL,
            labels jsonb NOT NULL,
            summary text NOT NULL,
            delivered_to jsonb NOT NULL DEFAULT '[]',
            failed_passes integer NOT NULL DEFAULT 0,
            due_at timestamptz NOT NULL,
            claim_owner text,
            claimed_until timestamptz
        );
        CREATE INDEX ix_notifications_due ON {0}.notifications (due_at, seq);
        """,

        // 5: the overview counts by workflow and status from an index alone; a search by label value whatever its key.
        """
        CREATE INDEX ix_executions_workflow_status ON {0}.executions (workflow_name, status);
        CREATE INDEX ix_executions_label_values ON {0}.executions USING gin (jsonb_path_query_array(labels, '$.*'));
        """,

        // 6: the running step and attempt of an execution live in its row, and its steps' ids (RunningOverlay): a step's commit
        // writes three rows, not five, and a start no row per step. The attempts left running move into the rows of their executions.
        """
        ALTER TABLE {0}.executions ADD COLUMN step_ids text[], ADD COLUMN running_steps jsonb, ADD COLUMN running_attempts jsonb;
        UPDATE {0}.executions x SET running_attempts = r.overlay FROM (
            SELECT execution_id, jsonb_object_agg(step_idx || '/' || run || '/' || number, jsonb_build_array(
                step_idx, step_id, run, number, worker_id, (extract(epoch FROM started_at) * 1000000)::bigint - 946684800000000,
                (extract(epoch FROM ended_at) * 1000000)::bigint - 946684800000000, outcome, error, error_type, output, input)) AS overlay
            FROM {0}.attempts WHERE outcome = 'running' GROUP BY execution_id) r
        WHERE x.id = r.execution_id;
        DELETE FROM {0}.attempts WHERE outcome = 'running';
        """,
    ];

    public static int LatestVersion => Migrations.Length;

    public static async Task MigrateAsync(NpgsqlDataSource dataSource, string schema, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // Held until the transaction ends: a host that starts meanwhile waits here, then finds the schema current.
        await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock($1)", cancellationToken, LockKey(schema)).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction,
            $"CREATE SCHEMA IF NOT EXISTS {schema}; CREATE TABLE IF NOT EXISTS {schema}.schema_version (version integer NOT NULL); " +
            $"INSERT INTO {schema}.schema_version (version) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM {schema}.schema_version)",
            cancellationToken).ConfigureAwait(false);
        var current = await ReadVersionAsync(connection, transaction, schema, cancellationToken).ConfigureAwait(false);
        if (current > LatestVersion)
        {
            throw new InvalidOperationException(
                $"The HyOpps schema '{schema}' has version {current}, newer than this version of HyOpps.Storage.Postgres supports ({LatestVersion}). Upgrade the package.");
        }

        for (var version = current; version < LatestVersion; version++)
        {
            await ExecuteAsync(connection, transaction,
                string.Format(CultureInfo.InvariantCulture, Migrations[version], schema) + $"\nUPDATE {schema}.schema_version SET version = {version + 1};",
                cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task<int> ReadVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string schema, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT version FROM {schema}.schema_version", connection, transaction);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0, CultureInfo.InvariantCulture);
    }

    // A stable 64-bit key per schema (FNV-1a), so that installs in different schemas of one database never wait for each other.
    private static long LockKey(string schema)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in "hyopps.migrate." + schema)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return unchecked((long)hash);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
