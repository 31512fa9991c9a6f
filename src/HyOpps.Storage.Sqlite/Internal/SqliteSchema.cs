using Microsoft.Data.Sqlite;

namespace HyOpps.Storage.Sqlite.Internal;

/// <summary>The schema, created and migrated by version; each migration runs once, in its own transaction.</summary>
internal static class SqliteSchema
{
    public static readonly string[] Migrations =
    [
        // 1: executions, steps, attempts, audit.
        """
        CREATE TABLE executions (
            id TEXT NOT NULL PRIMARY KEY,
            workflow_name TEXT NOT NULL,
            workflow_version INTEGER NOT NULL,
            status TEXT NOT NULL,
            input TEXT NOT NULL,
            idempotency_key TEXT,
            labels TEXT NOT NULL,
            current_step INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            completed_at INTEGER,
            next_run_at INTEGER,
            lease_owner TEXT,
            lease_expires_at INTEGER,
            fencing_token INTEGER NOT NULL,
            version INTEGER NOT NULL,
            error TEXT,
            error_type TEXT,
            waiting_reason TEXT
        );
        CREATE UNIQUE INDEX ux_executions_idempotency ON executions (workflow_name, idempotency_key) WHERE idempotency_key IS NOT NULL;
        CREATE INDEX ix_executions_created ON executions (created_at);
        CREATE TABLE steps (
            execution_id TEXT NOT NULL,
            idx INTEGER NOT NULL,
            step_id TEXT NOT NULL,
            status TEXT NOT NULL,
            run INTEGER NOT NULL,
            attempts INTEGER NOT NULL,
            output TEXT,
            checkpoint TEXT,
            input_override TEXT,
            error TEXT,
            error_type TEXT,
            first_attempt_at INTEGER,
            started_at INTEGER,
            completed_at INTEGER,
            PRIMARY KEY (execution_id, idx)
        ) WITHOUT ROWID;
        CREATE TABLE attempts (
            execution_id TEXT NOT NULL,
            step_idx INTEGER NOT NULL,
            step_id TEXT NOT NULL,
            run INTEGER NOT NULL,
            number INTEGER NOT NULL,
            worker_id TEXT,
            started_at INTEGER NOT NULL,
            ended_at INTEGER,
            outcome TEXT NOT NULL,
            error TEXT,
            error_type TEXT,
            output TEXT,
            PRIMARY KEY (execution_id, step_idx, run, number)
        ) WITHOUT ROWID;
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            execution_id TEXT NOT NULL,
            at INTEGER NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            reason TEXT,
            detail TEXT
        );
        CREATE INDEX ix_audit_execution ON audit (execution_id, id);
        """,

        // 2: a due-time index for claims, labels for filtering, a workflow filter index.
        """
        ALTER TABLE executions ADD COLUMN due_at INTEGER NOT NULL DEFAULT 0;
        UPDATE executions SET due_at = COALESCE(next_run_at, 0);
        CREATE INDEX ix_executions_runnable ON executions (due_at) WHERE status IN ('pending', 'running');
        CREATE INDEX ix_executions_workflow ON executions (workflow_name, created_at);
        CREATE TABLE execution_labels (
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            execution_id TEXT NOT NULL,
            PRIMARY KEY (key, value, execution_id)
        ) WITHOUT ROWID;
        INSERT OR IGNORE INTO execution_labels (key, value, execution_id)
            SELECT j.key, j.value, e.id FROM executions e, json_each(e.labels) j;
        """,

        // 3: status filters page and count through an index rather than a scan of every execution.
        """
        CREATE INDEX ix_executions_status ON executions (status, created_at);
        """,

        // 4: the execution's trace context; abandoned attempts counted apart from the retry budget.
        """
        ALTER TABLE executions ADD COLUMN trace_parent TEXT;
        ALTER TABLE steps ADD COLUMN abandoned INTEGER NOT NULL DEFAULT 0;
        """,

        // 5: leases on external resources (a Slack user group), shared by every process on the file.
        """
        CREATE TABLE resource_locks (
            resource TEXT NOT NULL PRIMARY KEY,
            owner TEXT,
            fencing_token INTEGER NOT NULL,
            expires_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        """,

        // 6: the input each attempt of a typed step was given (secrets removed), shown beside its output.
        """
        ALTER TABLE attempts ADD COLUMN input TEXT;
        """,

        // 7: the notification outbox, written in the commit that fails an execution or makes a step wait for approval.
        """
        CREATE TABLE notifications (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            execution_id TEXT NOT NULL,
            workflow_name TEXT NOT NULL,
            step_id TEXT,
            occurred_at INTEGER NOT NULL,
            labels TEXT NOT NULL,
            summary TEXT NOT NULL,
            delivered_to TEXT NOT NULL DEFAULT '[]',
            failed_passes INTEGER NOT NULL DEFAULT 0,
            due_at INTEGER NOT NULL,
            claim_owner TEXT,
            claimed_until INTEGER
        );
        CREATE INDEX ix_notifications_due ON notifications (due_at, seq);
        """,

        // 8: the overview counts by workflow and status from an index alone; a search by label value whatever its key.
        """
        CREATE INDEX ix_executions_workflow_status ON executions (workflow_name, status);
        CREATE INDEX ix_execution_labels_value ON execution_labels (value);
        """,
    ];

    public static int LatestVersion => Migrations.Length;

    public static void Migrate(SqliteConnection connection, int targetVersion)
    {
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE IF NOT EXISTS hyopps_schema (version INTEGER NOT NULL); " +
                "INSERT INTO hyopps_schema (version) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM hyopps_schema);";
            create.ExecuteNonQuery();
        }

        while (true)
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var current = ReadVersion(connection, transaction);
            if (current > LatestVersion)
            {
                throw new InvalidOperationException(
                    $"The HyOpps database '{connection.DataSource}' has schema version {current}, newer than this version of HyOpps.Storage.Sqlite supports ({LatestVersion}). Upgrade the package.");
            }

            if (current >= targetVersion)
            {
                return;
            }

            using (var migrate = connection.CreateCommand())
            {
                migrate.Transaction = transaction;
                migrate.CommandText = Migrations[current] + $"\nUPDATE hyopps_schema SET version = {current + 1};";
                migrate.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    public static int ReadVersion(SqliteConnection connection, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT version FROM hyopps_schema";
        return Convert.ToInt32(command.ExecuteScalar() ?? 0, System.Globalization.CultureInfo.InvariantCulture);
    }
}
