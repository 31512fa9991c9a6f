using System.Data.Common;
using HyOpps.Onboarding;
using HyOpps.SampleHost.Domain;

namespace HyOpps.SampleHost.Data;

/// <summary>Reads and writes partner user records.</summary>
public sealed partial class PartnerUserStore(SampleDatabase database, TimeProvider time)
{
    internal const string Columns = "id, org_id, email, normalized_email, first_name, last_name, status, generation, metabase_user_id, teams_user_id, " +
        "slack_user_id, atlassian_account_id, onboarding_execution_id, offboarding_execution_id, created_at, updated_at, " +
        "metabase_created, teams_created, slack_created, atlassian_created, cut_short_reason, cut_short_at";

    public async Task<IReadOnlyList<PartnerUserRecord>> ListAsync(string? orgId, string? status, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"SELECT {Columns} FROM partner_users WHERE (@org IS NULL OR org_id = @org) AND (@status IS NULL OR status = @status) ORDER BY created_at, id")
            .With("@org", orgId).With("@status", status);
        return await ReadAllAsync(command, cancellationToken);
    }

    public async Task<PartnerUserRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM partner_users WHERE id = @id").With("@id", id);
        return (await ReadAllAsync(command, cancellationToken)).FirstOrDefault();
    }

    /// <summary>Returns whether an org other than <paramref name="orgId"/> has the person (onboarding, active or being removed).</summary>
    public async Task<bool> BelongsToAnotherOrgAsync(string orgId, string normalizedEmail, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT 1 FROM partner_users WHERE normalized_email = @email AND org_id <> @org AND status <> 'removed' LIMIT 1")
            .With("@org", orgId).With("@email", normalizedEmail);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public async Task<PartnerUserRecord?> FindAsync(string orgId, string normalizedEmail, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM partner_users WHERE org_id = @org AND normalized_email = @email")
            .With("@org", orgId).With("@email", normalizedEmail);
        return (await ReadAllAsync(command, cancellationToken)).FirstOrDefault();
    }

    /// <summary>
    /// Inserts a record in status onboarding, or brings back a removed one (next generation); returns null when the person is
    /// already a user of the org (not removed), or of another org (onboarding, active or being removed there).
    /// </summary>
    public async Task<PartnerUserRecord?> AddForOnboardingAsync(string orgId, string email, string normalizedEmail, string firstName, string lastName, CancellationToken cancellationToken)
        => (await AddAsync(orgId, email, normalizedEmail, firstName, lastName, null, cancellationToken))?.User;

    /// <summary>
    /// Records the person as <see cref="AddForOnboardingAsync"/> does and, in the same transaction, the start of their onboarding;
    /// returns null, writing nothing, when <see cref="AddForOnboardingAsync"/> would.
    /// </summary>
    public async Task<RecordedStart?> RecordOnboardingAsync(string orgId, string email, string normalizedEmail, string firstName, string lastName, Func<PartnerUserRecord, PendingStart> start, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        return await AddAsync(orgId, email, normalizedEmail, firstName, lastName, start, cancellationToken);
    }

    private async Task<RecordedStart?> AddAsync(string orgId, string email, string normalizedEmail, string firstName, string lastName, Func<PartnerUserRecord, PendingStart>? start, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await database.SerializeAsync(connection, transaction, "person:" + normalizedEmail, cancellationToken);
        PartnerUserRecord? existing;
        await using (var find = connection.Command($"SELECT {Columns} FROM partner_users WHERE org_id = @org AND normalized_email = @email", transaction)
            .With("@org", orgId).With("@email", normalizedEmail))
        {
            existing = (await ReadAllAsync(find, cancellationToken)).FirstOrDefault();
        }

        // A person belongs to one org: checked in the same transaction as the insert, serialised with every other for this person.
        await using (var elsewhere = connection.Command("SELECT 1 FROM partner_users WHERE normalized_email = @email AND org_id <> @org AND status <> 'removed' LIMIT 1", transaction)
            .With("@org", orgId).With("@email", normalizedEmail))
        {
            if (await elsewhere.ExecuteScalarAsync(cancellationToken) is not null)
            {
                return null;
            }
        }

        PartnerUserRecord record;
        if (existing is null)
        {
            record = new PartnerUserRecord
            {
                Id = Sql.NewId(),
                OrgId = orgId,
                Email = email,
                NormalizedEmail = normalizedEmail,
                FirstName = firstName,
                LastName = lastName,
                Status = PartnerUserStatus.Onboarding,
                Generation = 1,
                CreatedAt = now,
                UpdatedAt = now,
            };
            await using var insert = connection.Command($"""
                INSERT INTO partner_users ({Columns}) VALUES (@id, @org_id, @email, @normalized_email, @first_name, @last_name, @status, @generation,
                    NULL, NULL, NULL, NULL, NULL, NULL, @created_at, @updated_at, 0, 0, 0, 0, NULL, NULL)
                """, transaction)
                .With("@id", record.Id).With("@org_id", orgId).With("@email", email).With("@normalized_email", normalizedEmail)
                .With("@first_name", firstName).With("@last_name", lastName).With("@status", record.Status).With("@generation", 1)
                .With("@created_at", Sql.Time(now)).With("@updated_at", Sql.Time(now));
            try
            {
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (DbException ex) when (database.IsUniqueViolation(ex))
            {
                return null;
            }
        }
        else if (existing.Status == PartnerUserStatus.Removed)
        {
            record = existing with
            {
                Email = email,
                FirstName = firstName,
                LastName = lastName,
                Status = PartnerUserStatus.Onboarding,
                Generation = existing.Generation + 1,
                OnboardingExecutionId = null,
                OffboardingExecutionId = null,
                // The accounts the earlier onboarding recorded were offboarded; this onboarding records its own, so a later
                // removal never acts on an account from a past generation.
                MetabaseUserId = null,
                TeamsUserId = null,
                SlackUserId = null,
                AtlassianAccountId = null,
                MetabaseCreated = false,
                TeamsCreated = false,
                SlackCreated = false,
                AtlassianCreated = false,
                CutShortReason = null,
                CutShortAt = null,
                UpdatedAt = now,
            };
            await using var update = connection.Command("""
                UPDATE partner_users SET email = @email, first_name = @first_name, last_name = @last_name, status = @status, generation = @generation,
                    onboarding_execution_id = NULL, offboarding_execution_id = NULL,
                    metabase_user_id = NULL, teams_user_id = NULL, slack_user_id = NULL, atlassian_account_id = NULL,
                    metabase_created = 0, teams_created = 0, slack_created = 0, atlassian_created = 0,
                    cut_short_reason = NULL, cut_short_at = NULL, updated_at = @updated_at
                WHERE id = @id AND status = 'removed'
                """, transaction)
                .With("@id", record.Id).With("@email", email).With("@first_name", firstName).With("@last_name", lastName)
                .With("@status", record.Status).With("@generation", record.Generation).With("@updated_at", Sql.Time(now));
            if (await update.ExecuteNonQueryAsync(cancellationToken) != 1)
            {
                return null;
            }
        }
        else
        {
            return null;
        }

        var pending = start?.Invoke(record);
        if (pending is not null)
        {
            await InsertPendingStartAsync(connection, transaction, pending, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new RecordedStart(record, pending);
    }

    /// <summary>
    /// Undoes <see cref="RecordOnboardingAsync"/> when the workflow could not be started: deletes the pending start and the record
    /// (or puts a re-added person back to removed) in one transaction. Returns false, changing nothing, when the pending start is
    /// gone already: the reconciler started it.
    /// </summary>
    public async Task<bool> UndoAddAsync(RecordedStart added, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(added);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (added.Start is not null && !await DeletePendingStartAsync(connection, transaction, added.Start.Id, cancellationToken))
        {
            return false;
        }

        var user = added.User;
        await using var undo = user.Generation == 1
            ? connection.Command("DELETE FROM partner_users WHERE id = @id AND generation = 1 AND onboarding_execution_id IS NULL", transaction).With("@id", user.Id)
            : connection.Command(
                "UPDATE partner_users SET status = 'removed', generation = generation - 1 WHERE id = @id AND generation = @generation AND onboarding_execution_id IS NULL",
                transaction).With("@id", user.Id).With("@generation", user.Generation);
        await undo.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<bool> UpdateNamesAsync(string id, string firstName, string lastName, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("UPDATE partner_users SET first_name = @first, last_name = @last, updated_at = @now WHERE id = @id")
            .With("@id", id).With("@first", firstName).With("@last", lastName).With("@now", Sql.Time(time.GetUtcNow()));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// Marks the person active when <paramref name="onboardingExecutionId"/> is still their onboarding and they are still
    /// onboarding; returns false, changing nothing, when a removal (or a later onboarding) has taken over the record.
    /// </summary>
    public async Task<bool> CompleteOnboardingAsync(string orgId, string normalizedEmail, string onboardingExecutionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("""
            UPDATE partner_users SET status = 'active', updated_at = @now
            WHERE org_id = @org AND normalized_email = @email AND status = 'onboarding' AND onboarding_execution_id = @execution
            """)
            .With("@org", orgId).With("@email", normalizedEmail).With("@execution", onboardingExecutionId).With("@now", Sql.Time(time.GetUtcNow()));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>
    /// Records the accounts a step of the person's onboarding found or made; an absent one leaves the stored one as it is. A step
    /// of an onboarding that is no longer the person's (a late step of a cancelled run) records nothing.
    /// </summary>
    public async Task RecordAccountsAsync(string orgId, string normalizedEmail, string onboardingExecutionId, RecordedAccounts accounts, CancellationToken cancellationToken)
    {
        int? metabaseId = accounts.Metabase is { } m ? int.Parse(m.Id, System.Globalization.CultureInfo.InvariantCulture) : null;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("""
            UPDATE partner_users SET
                metabase_user_id = COALESCE(@metabase, metabase_user_id),
                metabase_created = CASE WHEN @metabase IS NULL THEN metabase_created ELSE @metabase_created END,
                teams_user_id = COALESCE(@teams, teams_user_id),
                teams_created = CASE WHEN @teams IS NULL THEN teams_created ELSE @teams_created END,
                slack_user_id = COALESCE(@slack, slack_user_id),
                slack_created = CASE WHEN @slack IS NULL THEN slack_created ELSE @slack_created END,
                atlassian_account_id = COALESCE(@atlassian, atlassian_account_id),
                atlassian_created = CASE WHEN @atlassian IS NULL THEN atlassian_created ELSE @atlassian_created END,
                updated_at = @now
            WHERE org_id = @org AND normalized_email = @email AND onboarding_execution_id = @execution
            """)
            .With("@org", orgId).With("@email", normalizedEmail).With("@execution", onboardingExecutionId)
            .With("@metabase", metabaseId).With("@metabase_created", accounts.Metabase?.CreatedByHyOpps == true ? 1 : 0)
            .With("@teams", accounts.Teams?.Id).With("@teams_created", accounts.Teams?.CreatedByHyOpps == true ? 1 : 0)
            .With("@slack", accounts.Slack?.Id).With("@slack_created", accounts.Slack?.CreatedByHyOpps == true ? 1 : 0)
            .With("@atlassian", accounts.Atlassian?.Id).With("@atlassian_created", accounts.Atlassian?.CreatedByHyOpps == true ? 1 : 0)
            .With("@now", Sql.Time(time.GetUtcNow()));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Finds the record or creates it (a workflow started outside the API); returns it in status onboarding, or null when the
    /// record belongs to this execution but a removal has since taken it over (a late step of a cancelled onboarding).
    /// </summary>
    public async Task<PartnerUserRecord?> EnsureOnboardingAsync(string orgId, string email, string normalizedEmail, string firstName, string lastName, string executionId, CancellationToken cancellationToken)
    {
        var existing = await FindAsync(orgId, normalizedEmail, cancellationToken);
        if (existing is { Status: PartnerUserStatus.Offboarding or PartnerUserStatus.Removed } && existing.OnboardingExecutionId == executionId)
        {
            return null;
        }

        if (existing is null || existing.Status == PartnerUserStatus.Removed)
        {
            existing = await AddForOnboardingAsync(orgId, email, normalizedEmail, firstName, lastName, cancellationToken)
                ?? await FindAsync(orgId, normalizedEmail, cancellationToken)
                ?? throw new InvalidOperationException($"The partner user {normalizedEmail} of org {orgId} could not be recorded.");
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("""
            UPDATE partner_users SET onboarding_execution_id = COALESCE(onboarding_execution_id, @execution),
                status = CASE WHEN status = 'active' THEN status ELSE 'onboarding' END, updated_at = @now
            WHERE id = @id AND status IN ('onboarding', 'active') AND (onboarding_execution_id IS NULL OR onboarding_execution_id = @execution)
            """)
            .With("@id", existing.Id).With("@execution", executionId).With("@now", Sql.Time(time.GetUtcNow()));
        await command.ExecuteNonQueryAsync(cancellationToken);
        return (await GetAsync(existing.Id, cancellationToken))!;
    }

    internal static async Task<IReadOnlyList<PartnerUserRecord>> ReadAllAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var users = new List<PartnerUserRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            users.Add(new PartnerUserRecord
            {
                Id = reader.GetString(0),
                OrgId = reader.GetString(1),
                Email = reader.GetString(2),
                NormalizedEmail = reader.GetString(3),
                FirstName = reader.GetString(4),
                LastName = reader.GetString(5),
                Status = reader.GetString(6),
                Generation = reader.GetInt32(7),
                MetabaseUserId = Sql.ReadInt(reader, "metabase_user_id"),
                TeamsUserId = Sql.ReadString(reader, "teams_user_id"),
                SlackUserId = Sql.ReadString(reader, "slack_user_id"),
                AtlassianAccountId = Sql.ReadString(reader, "atlassian_account_id"),
                OnboardingExecutionId = Sql.ReadString(reader, "onboarding_execution_id"),
                OffboardingExecutionId = Sql.ReadString(reader, "offboarding_execution_id"),
                CreatedAt = Sql.ReadTime(reader, "created_at"),
                UpdatedAt = Sql.ReadTime(reader, "updated_at"),
                MetabaseCreated = Sql.ReadInt(reader, "metabase_created") == 1,
                TeamsCreated = Sql.ReadInt(reader, "teams_created") == 1,
                SlackCreated = Sql.ReadInt(reader, "slack_created") == 1,
                AtlassianCreated = Sql.ReadInt(reader, "atlassian_created") == 1,
                CutShortReason = Sql.ReadString(reader, "cut_short_reason"),
                CutShortAt = Sql.ReadString(reader, "cut_short_at") is null ? null : Sql.ReadTime(reader, "cut_short_at"),
            });
        }

        return users;
    }
}
