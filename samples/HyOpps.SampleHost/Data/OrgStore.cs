using System.Data.Common;
using System.Text.Json;
using HyOpps.Onboarding;
using HyOpps.SampleHost.Domain;
using HyOpps.Workflows;

namespace HyOpps.SampleHost.Data;

/// <summary>Reads and writes orgs.</summary>
public sealed class OrgStore(SampleDatabase database, TimeProvider time)
{
    private const string Columns = "id, name, active, metabase_group_id, teams_team_id, teams_channel_id, slack_user_group_id, slack_channel_id, atlassian_group_id, documentation_links, created_at, updated_at, allowed_email_domains, " +
        "notify_email, notify_slack_channel_id, notify_teams_team_id, notify_teams_channel_id";

    public async Task<IReadOnlyList<OrgRecord>> ListAsync(string? onlyOrgId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM orgs WHERE (@id IS NULL OR id = @id) ORDER BY name_key").With("@id", onlyOrgId);
        return await ReadAllAsync(command, cancellationToken);
    }

    public async Task<OrgRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM orgs WHERE id = @id").With("@id", id);
        return (await ReadAllAsync(command, cancellationToken)).FirstOrDefault();
    }

    public async Task<OrgRecord?> FindByNameAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM orgs WHERE name_key = @key").With("@key", NameKey(name));
        return (await ReadAllAsync(command, cancellationToken)).FirstOrDefault();
    }

    /// <summary>Inserts an org; returns null when another org has the same name.</summary>
    public async Task<OrgRecord?> CreateAsync(OrgRecord org, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var created = org with { Id = string.IsNullOrEmpty(org.Id) ? Sql.NewId() : org.Id, CreatedAt = now, UpdatedAt = now };
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"""
            INSERT INTO orgs ({Columns}, name_key) VALUES (@id, @name, @active, @metabase_group_id, @teams_team_id, @teams_channel_id,
                @slack_user_group_id, @slack_channel_id, @atlassian_group_id, @documentation_links, @created_at, @updated_at, @allowed_email_domains,
                @notify_email, @notify_slack_channel_id, @notify_teams_team_id, @notify_teams_channel_id, @name_key)
            """);
        Bind(command, created);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (DbException ex) when (database.IsUniqueViolation(ex))
        {
            return null;
        }

        return created;
    }

    /// <summary>Replaces an org's fields; returns false when another org has the same name, null when the org does not exist.</summary>
    public Task<bool?> UpdateAsync(OrgRecord org, CancellationToken cancellationToken) => UpdateAsync(org, null, cancellationToken);

    /// <summary>
    /// Replaces an org's fields and, in the same transaction, records the workflow starts the change calls for: <paramref name="followUps"/>
    /// is given the org as it was (read in the transaction, serialised with other changes of the org) and its active users.
    /// Returns false when another org has the same name, null when the org does not exist; either way nothing is written.
    /// </summary>
    public async Task<bool?> UpdateAsync(OrgRecord org, Func<OrgRecord, IReadOnlyList<PartnerUserRecord>, IReadOnlyList<PendingStart>>? followUps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(org);
        var updated = org with { UpdatedAt = time.GetUtcNow() };
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await database.SerializeAsync(connection, transaction, "org:" + org.Id, cancellationToken);
        OrgRecord? before;
        await using (var find = connection.Command($"SELECT {Columns} FROM orgs WHERE id = @id", transaction).With("@id", org.Id))
        {
            before = (await ReadAllAsync(find, cancellationToken)).FirstOrDefault();
        }

        if (before is null)
        {
            return null;
        }

        await using (var command = connection.Command("""
            UPDATE orgs SET name = @name, name_key = @name_key, active = @active, metabase_group_id = @metabase_group_id,
                teams_team_id = @teams_team_id, teams_channel_id = @teams_channel_id, slack_user_group_id = @slack_user_group_id,
                slack_channel_id = @slack_channel_id, atlassian_group_id = @atlassian_group_id, documentation_links = @documentation_links,
                allowed_email_domains = @allowed_email_domains, notify_email = @notify_email, notify_slack_channel_id = @notify_slack_channel_id,
                notify_teams_team_id = @notify_teams_team_id, notify_teams_channel_id = @notify_teams_channel_id, updated_at = @updated_at
            WHERE id = @id
            """, transaction))
        {
            Bind(command, updated);
            try
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (DbException ex) when (database.IsUniqueViolation(ex))
            {
                return false;
            }
        }

        if (followUps is not null)
        {
            IReadOnlyList<PartnerUserRecord> active;
            await using (var users = connection.Command($"SELECT {PartnerUserStore.Columns} FROM partner_users WHERE org_id = @org AND status = 'active' ORDER BY created_at, id", transaction)
                .With("@org", org.Id))
            {
                active = await PartnerUserStore.ReadAllAsync(users, cancellationToken);
            }

            foreach (var start in followUps(before, active))
            {
                await PartnerUserStore.InsertPendingStartAsync(connection, transaction, start, cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Deletes an org unless it has users (onboarding, active or being removed), partner admin accounts, or executions under way;
    /// the checks and the delete are one transaction that holds off every insert referring to the org, so nobody is added to an org
    /// as it goes. Records of removed users go with it.
    /// </summary>
    /// <param name="id">The org's id.</param>
    /// <param name="countExecutionsUnderWay">Counts the org's executions under way in the workflow runtime; called inside the transaction, after the lock.</param>
    /// <param name="cancellationToken">The token to cancel the work.</param>
    public async Task<OrgDeletion> DeleteAsync(string id, Func<CancellationToken, Task<int>> countExecutionsUnderWay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(countExecutionsUnderWay);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockOrg = connection.Command("SELECT id FROM orgs WHERE id = @id" + database.ForUpdate, transaction).With("@id", id))
        {
            if (await lockOrg.ExecuteScalarAsync(cancellationToken) is null)
            {
                return new OrgDeletion(OrgDeletionOutcome.NotFound);
            }
        }

        var users = await CountAsync(connection, transaction, "SELECT COUNT(*) FROM partner_users WHERE org_id = @id AND status <> 'removed'", id, cancellationToken);
        if (users > 0)
        {
            return new OrgDeletion(OrgDeletionOutcome.HasUsers, users);
        }

        var accounts = await CountAsync(connection, transaction, "SELECT COUNT(*) FROM accounts WHERE org_id = @id", id, cancellationToken);
        if (accounts > 0)
        {
            return new OrgDeletion(OrgDeletionOutcome.HasAccounts, accounts);
        }

        // A start recorded but not yet made is an execution about to run.
        var executions = await CountAsync(connection, transaction,
            "SELECT COUNT(*) FROM pending_starts WHERE user_id IN (SELECT id FROM partner_users WHERE org_id = @id)", id, cancellationToken)
            + await countExecutionsUnderWay(cancellationToken);
        if (executions > 0)
        {
            return new OrgDeletion(OrgDeletionOutcome.HasExecutionsUnderWay, executions);
        }

        await using (var delete = connection.Command("DELETE FROM partner_users WHERE org_id = @id; DELETE FROM orgs WHERE id = @id;", transaction).With("@id", id))
        {
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new OrgDeletion(OrgDeletionOutcome.Deleted);
    }

    private static async Task<int> CountAsync(DbConnection connection, DbTransaction transaction, string sql, string id, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(sql, transaction).With("@id", id);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    internal static string NameKey(string name) => name.Trim().ToUpperInvariant();

    private static void Bind(DbCommand command, OrgRecord org)
    {
        command.With("@id", org.Id)
            .With("@name", org.Name.Trim())
            .With("@name_key", NameKey(org.Name))
            .With("@active", org.Active ? 1 : 0)
            .With("@metabase_group_id", org.MetabaseGroupId)
            .With("@teams_team_id", org.TeamsTeamId)
            .With("@teams_channel_id", org.TeamsChannelId)
            .With("@slack_user_group_id", org.SlackUserGroupId)
            .With("@slack_channel_id", org.SlackChannelId)
            .With("@atlassian_group_id", org.AtlassianGroupId)
            .With("@documentation_links", JsonSerializer.Serialize(org.DocumentationLinks, HyOppsJson.SerializerOptions))
            .With("@allowed_email_domains", JsonSerializer.Serialize(org.AllowedEmailDomains, HyOppsJson.SerializerOptions))
            .With("@notify_email", org.Notifications.Email)
            .With("@notify_slack_channel_id", org.Notifications.SlackChannelId)
            .With("@notify_teams_team_id", org.Notifications.TeamsTeamId)
            .With("@notify_teams_channel_id", org.Notifications.TeamsChannelId)
            .With("@created_at", Sql.Time(org.CreatedAt))
            .With("@updated_at", Sql.Time(org.UpdatedAt));
    }

    private static async Task<IReadOnlyList<OrgRecord>> ReadAllAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var orgs = new List<OrgRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            orgs.Add(new OrgRecord
            {
                Id = reader.GetString(0),
                Name = reader.GetString(1),
                Active = reader.GetInt32(2) != 0,
                MetabaseGroupId = Sql.ReadInt(reader, "metabase_group_id"),
                TeamsTeamId = Sql.ReadString(reader, "teams_team_id"),
                TeamsChannelId = Sql.ReadString(reader, "teams_channel_id"),
                SlackUserGroupId = Sql.ReadString(reader, "slack_user_group_id"),
                SlackChannelId = Sql.ReadString(reader, "slack_channel_id"),
                AtlassianGroupId = Sql.ReadString(reader, "atlassian_group_id"),
                DocumentationLinks = JsonSerializer.Deserialize<List<DocumentationLink>>(reader.GetString(9), HyOppsJson.SerializerOptions) ?? [],
                CreatedAt = Sql.ReadTime(reader, "created_at"),
                UpdatedAt = Sql.ReadTime(reader, "updated_at"),
                AllowedEmailDomains = JsonSerializer.Deserialize<List<string>>(reader.GetString(12), HyOppsJson.SerializerOptions) ?? [],
                Notifications = new NotificationTarget
                {
                    Email = Sql.ReadString(reader, "notify_email"),
                    SlackChannelId = Sql.ReadString(reader, "notify_slack_channel_id"),
                    TeamsTeamId = Sql.ReadString(reader, "notify_teams_team_id"),
                    TeamsChannelId = Sql.ReadString(reader, "notify_teams_channel_id"),
                },
            });
        }

        return orgs;
    }
}
