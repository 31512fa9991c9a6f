namespace HyOpps.SampleHost.Data;

/// <summary>The sample's tables, version by version, written once for both databases; the dialect fills in what differs.</summary>
internal static class SampleSchema
{
    /// <summary>Gets the migrations: the one at index i takes the schema from version i to version i + 1.</summary>
    public static IReadOnlyList<string> Migrations(SampleDialect dialect) =>
    [
        $"""
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
            user_name TEXT NOT NULL {dialect.CaseInsensitiveUnique},
            password_hash TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('admin', 'partner_admin')),
            org_id TEXT REFERENCES orgs(id),
            created_at TEXT NOT NULL,
            CHECK ((role = 'admin' AND org_id IS NULL) OR (role = 'partner_admin' AND org_id IS NOT NULL)));
        {dialect.CaseInsensitiveUniqueIndex("accounts", "user_name")}
        CREATE TABLE IF NOT EXISTS api_keys (
            id TEXT PRIMARY KEY,
            account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            key_hash TEXT NOT NULL UNIQUE,
            key_prefix TEXT NOT NULL,
            created_at TEXT NOT NULL);
        """,

        // Version 2: each org's allowed email domains; per account a sign-in failure count, a lockout end and a security stamp.
        $"""
        ALTER TABLE orgs ADD COLUMN allowed_email_domains TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE accounts ADD COLUMN failed_sign_ins INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE accounts ADD COLUMN locked_out_until TEXT;
        ALTER TABLE accounts ADD COLUMN security_stamp TEXT NOT NULL DEFAULT '';
        UPDATE accounts SET security_stamp = {dialect.RandomHex} WHERE security_stamp = '';
        """,

        // Version 3: whether HyOpps created (or reactivated) each recorded account, so offboarding deactivates only those.
        """
        ALTER TABLE partner_users ADD COLUMN metabase_created INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE partner_users ADD COLUMN teams_created INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE partner_users ADD COLUMN slack_created INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE partner_users ADD COLUMN atlassian_created INTEGER NOT NULL DEFAULT 0;
        """,

        // Version 4: the workflow starts written with a user record and not yet linked to it (the outbox the reconciler drains).
        """
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
        """,

        // Version 5: a pending start may be scheduled (the person's first working day).
        """
        ALTER TABLE pending_starts ADD COLUMN not_before TEXT;
        """,

        // Version 6: where each org's execution notifications go (empty: the host's global target).
        """
        ALTER TABLE orgs ADD COLUMN notify_email TEXT;
        ALTER TABLE orgs ADD COLUMN notify_slack_channel_id TEXT;
        ALTER TABLE orgs ADD COLUMN notify_teams_team_id TEXT;
        ALTER TABLE orgs ADD COLUMN notify_teams_channel_id TEXT;
        """,

        // Version 7: an onboarding cut short (cancelled, or failed for good) and when the host began cleaning up after it.
        """
        ALTER TABLE partner_users ADD COLUMN cut_short_reason TEXT;
        ALTER TABLE partner_users ADD COLUMN cut_short_at TEXT;
        """,
    ];
}
