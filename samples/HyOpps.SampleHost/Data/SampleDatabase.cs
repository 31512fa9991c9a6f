using System.Globalization;
using Microsoft.Data.Sqlite;

namespace HyOpps.SampleHost.Data;

/// <summary>The sample's own SQLite database (orgs, partner users and their pending workflow starts, accounts): a file apart from the workflow runtime's store.</summary>
public sealed class SampleDatabase
{
    private const int SchemaVersion = 5;

    public SampleDatabase(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = path;
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    public string ConnectionString { get; }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, "PRAGMA journal_mode=WAL;", cancellationToken);
        var version = Convert.ToInt32(await ScalarAsync(connection, "PRAGMA user_version;", cancellationToken), CultureInfo.InvariantCulture);
        if (version >= SchemaVersion)
        {
            return;
        }

        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        if (version < 1)
        {
            await CreateVersion1Async(connection, transaction, cancellationToken);
        }

        if (version < 2)
        {
            // Version 2: each org's allowed email domains; per account a sign-in failure count, a lockout end and a security stamp.
            await ExecuteAsync(connection, """
                ALTER TABLE orgs ADD COLUMN allowed_email_domains TEXT NOT NULL DEFAULT '[]';
                ALTER TABLE accounts ADD COLUMN failed_sign_ins INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE accounts ADD COLUMN locked_out_until TEXT;
                ALTER TABLE accounts ADD COLUMN security_stamp TEXT NOT NULL DEFAULT '';
                UPDATE accounts SET security_stamp = lower(hex(randomblob(16))) WHERE security_stamp = '';
                """, cancellationToken, transaction);
        }

        if (version < 3)
        {
            // Version 3: whether HyOpps created (or reactivated) each recorded account, so offboarding deactivates only those.
            await ExecuteAsync(connection, """
                ALTER TABLE partner_users ADD COLUMN metabase_created INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE partner_users ADD COLUMN teams_created INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE partner_users ADD COLUMN slack_created INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE partner_users ADD COLUMN atlassian_created INTEGER NOT NULL DEFAULT 0;
                """, cancellationToken, transaction);
        }

        if (version < 4)
        {
            // Version 4: the workflow starts written with a user record and not yet linked to it (the outbox the reconciler drains).
            await ExecuteAsync(connection, """
                CREATE TABLE pending_starts (
                    id TEXT PRIMARY KEY,
                    user_id TEXT NOT NULL REFERENCES partner_users(id) ON DELETE CASCADE,
                    generation INTEGER NOT NULL,
                    workflow_name TEXT NOT NULL,
                    idempotency_key TEXT NOT NULL,
                    input TEXT NOT NULL,
                    labels TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    UNIQUE (workflow_name, idempotency_key));
                CREATE INDEX pending_starts_user ON pending_starts (user_id);
                """, cancellationToken, transaction);
        }

        if (version < 5)
        {
            // Version 5: a pending start may be scheduled (the person's first working day).
            await ExecuteAsync(connection, "ALTER TABLE pending_starts ADD COLUMN not_before TEXT;", cancellationToken, transaction);
        }

        await ExecuteAsync(connection, $"PRAGMA user_version = {SchemaVersion};", cancellationToken, transaction);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task CreateVersion1Async(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, """
            CREATE TABLE IF NOT EXISTS orgs (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                name_key TEXT NOT NULL UNIQUE,
                active INTEGER NOT NULL,
                metabase_group_id INTEGER,
                teams_team_id TEXT,
                teams_channel_id TEXT,
                slack_user_group_id TEXT,
                slack_channel_id TEXT,
                atlassian_group_id TEXT,
                documentation_links TEXT NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS partner_users (
                id TEXT PRIMARY KEY,
                org_id TEXT NOT NULL REFERENCES orgs(id),
                email TEXT NOT NULL,
                normalized_email TEXT NOT NULL,
                first_name TEXT NOT NULL,
                last_name TEXT NOT NULL,
                status TEXT NOT NULL,
                generation INTEGER NOT NULL,
                metabase_user_id INTEGER,
                teams_user_id TEXT,
                slack_user_id TEXT,
                atlassian_account_id TEXT,
                onboarding_execution_id TEXT,
                offboarding_execution_id TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                UNIQUE (org_id, normalized_email));
            CREATE INDEX IF NOT EXISTS partner_users_email ON partner_users (normalized_email);
            CREATE TABLE IF NOT EXISTS accounts (
                id TEXT PRIMARY KEY,
                user_name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                password_hash TEXT NOT NULL,
                role TEXT NOT NULL CHECK (role IN ('admin', 'partner_admin')),
                org_id TEXT REFERENCES orgs(id),
                created_at TEXT NOT NULL,
                CHECK ((role = 'admin' AND org_id IS NULL) OR (role = 'partner_admin' AND org_id IS NOT NULL)));
            CREATE TABLE IF NOT EXISTS api_keys (
                id TEXT PRIMARY KEY,
                account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                key_hash TEXT NOT NULL UNIQUE,
                key_prefix TEXT NOT NULL,
                created_at TEXT NOT NULL);
            """, cancellationToken, transaction);
    }

    internal static async Task<int> ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken, SqliteTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    internal static async Task<object?> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
