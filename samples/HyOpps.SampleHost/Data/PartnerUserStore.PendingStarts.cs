using System.Data.Common;
using System.Text.Json;
using HyOpps.SampleHost.Domain;
using HyOpps.SampleHost.Workflows;

namespace HyOpps.SampleHost.Data;

/// <summary>The pending starts: written with a user record, deleted when the started execution is linked to it.</summary>
public sealed partial class PartnerUserStore
{
    private const string StartColumns = "id, user_id, generation, workflow_name, idempotency_key, input, labels, actor, created_at, not_before";

    /// <summary>Gets the start of a workflow still owed to a user, or null.</summary>
    public async Task<PendingStart?> GetPendingStartAsync(string userId, string workflowName, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {StartColumns} FROM pending_starts WHERE user_id = @user AND workflow_name = @workflow ORDER BY created_at, id")
            .With("@user", userId).With("@workflow", workflowName);
        return (await ReadStartsAsync(command, cancellationToken)).FirstOrDefault();
    }

    /// <summary>Lists the pending starts written before a time, oldest first, from the one after <paramref name="after"/> (a page's last).</summary>
    public async Task<IReadOnlyList<PendingStart>> ListPendingStartsAsync(DateTimeOffset createdBefore, PendingStart? after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"""
            SELECT {StartColumns} FROM pending_starts
            WHERE created_at < @before AND (@after_at IS NULL OR created_at > @after_at OR (created_at = @after_at AND id > @after_id))
            ORDER BY created_at, id LIMIT @limit
            """)
            .With("@before", Sql.Time(createdBefore)).With("@after_at", after is null ? null : Sql.Time(after.CreatedAt)).With("@after_id", after?.Id)
            .With("@limit", limit);
        return await ReadStartsAsync(command, cancellationToken);
    }

    /// <summary>Saves a pending start unless one with the same workflow and idempotency key exists; returns the stored one.</summary>
    public async Task<PendingStart> SavePendingStartAsync(PendingStart start, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using (var insert = PendingStartInsert(connection, null, start, " ON CONFLICT (workflow_name, idempotency_key) DO NOTHING"))
        {
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1)
            {
                return start;
            }
        }

        await using var find = connection.Command($"SELECT {StartColumns} FROM pending_starts WHERE workflow_name = @workflow AND idempotency_key = @key")
            .With("@workflow", start.WorkflowName).With("@key", start.IdempotencyKey);
        return (await ReadStartsAsync(find, cancellationToken)).FirstOrDefault()
            ?? throw new InvalidOperationException($"The pending start of {start.WorkflowName} with key {start.IdempotencyKey} was deleted while it was saved.");
    }

    /// <summary>
    /// Links the started execution to the user record (when it is still the same generation) and deletes the pending start, in one
    /// transaction; doing it twice changes nothing.
    /// </summary>
    public async Task CompletePendingStartAsync(PendingStart start, string executionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentException.ThrowIfNullOrEmpty(executionId);
        var column = start.WorkflowName switch
        {
            PartnerWorkflowNames.NewPartnerUser => "onboarding_execution_id",
            PartnerWorkflowNames.RemovePartnerUser => "offboarding_execution_id",

            // Removals from an org's former groups are found by their labels; the user record links only the person's own flows.
            FormerOrgGroups.Name => null,
            _ => throw new InvalidOperationException($"A pending start of an unknown workflow '{start.WorkflowName}'."),
        };
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (column is not null)
        {
            await using var link = connection.Command($"UPDATE partner_users SET {column} = @execution, updated_at = @now WHERE id = @id AND generation = @generation", transaction)
                .With("@id", start.UserId).With("@generation", start.Generation).With("@execution", executionId).With("@now", Sql.Time(time.GetUtcNow()));
            await link.ExecuteNonQueryAsync(cancellationToken);
        }

        await DeletePendingStartAsync(connection, transaction, start.Id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    internal static async Task InsertPendingStartAsync(DbConnection connection, DbTransaction transaction, PendingStart start, CancellationToken cancellationToken)
    {
        await using var insert = PendingStartInsert(connection, transaction, start, string.Empty);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DbCommand PendingStartInsert(DbConnection connection, DbTransaction? transaction, PendingStart start, string onConflict)
        => connection.Command($"""
            INSERT INTO pending_starts ({StartColumns}) VALUES (@id, @user_id, @generation, @workflow_name, @idempotency_key, @input, @labels, @actor, @created_at, @not_before){onConflict}
            """, transaction)
            .With("@id", start.Id).With("@user_id", start.UserId).With("@generation", start.Generation).With("@workflow_name", start.WorkflowName)
            .With("@idempotency_key", start.IdempotencyKey).With("@input", start.Input).With("@labels", JsonSerializer.Serialize(start.Labels))
            .With("@actor", start.Actor).With("@created_at", Sql.Time(start.CreatedAt))
            .With("@not_before", start.NotBefore is { } notBefore ? Sql.Time(notBefore) : null);

    private static async Task<bool> DeletePendingStartAsync(DbConnection connection, DbTransaction transaction, string id, CancellationToken cancellationToken)
    {
        await using var delete = connection.Command("DELETE FROM pending_starts WHERE id = @id", transaction).With("@id", id);
        return await delete.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static async Task<IReadOnlyList<PendingStart>> ReadStartsAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var starts = new List<PendingStart>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            starts.Add(new PendingStart
            {
                Id = reader.GetString(0),
                UserId = reader.GetString(1),
                Generation = reader.GetInt32(2),
                WorkflowName = reader.GetString(3),
                IdempotencyKey = reader.GetString(4),
                Input = reader.GetString(5),
                Labels = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(6)) ?? [],
                Actor = reader.GetString(7),
                CreatedAt = Sql.ReadTime(reader, "created_at"),
                NotBefore = reader.IsDBNull(9) ? null : Sql.ReadTime(reader, "not_before"),
            });
        }

        return starts;
    }
}
