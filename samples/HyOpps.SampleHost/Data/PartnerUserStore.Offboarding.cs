using System.Data.Common;
using HyOpps.SampleHost.Domain;

namespace HyOpps.SampleHost.Data;

/// <summary>Offboarding: the move to offboarding with its pending removal, its undo, and the final status.</summary>
public sealed partial class PartnerUserStore
{
    /// <summary>
    /// Moves the user to offboarding and records the start of their removal in one transaction, unless they are removed or being
    /// removed already (null); returns the record as it was before, with the pending start.
    /// </summary>
    public async Task<RecordedStart?> BeginOffboardingAsync(string id, Func<PartnerUserRecord, PendingStart> start, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var existing = await FindSerializedAsync(connection, transaction, id, cancellationToken);

        if (existing is null || existing.Status is PartnerUserStatus.Removed or PartnerUserStatus.Offboarding)
        {
            return null;
        }

        await using (var update = connection.Command("UPDATE partner_users SET status = 'offboarding', updated_at = @now WHERE id = @id", transaction)
            .With("@id", id).With("@now", Sql.Time(time.GetUtcNow())))
        {
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        var pending = start(existing);
        await InsertPendingStartAsync(connection, transaction, pending, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new RecordedStart(existing, pending);
    }

    /// <summary>
    /// Undoes <see cref="BeginOffboardingAsync"/> when the workflow could not be started: deletes the pending start and puts back the
    /// status the user had, in one transaction. Returns false, changing nothing, when the reconciler started it already.
    /// </summary>
    public async Task<bool> UndoOffboardingAsync(RecordedStart before, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(before);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (before.Start is not null && !await DeletePendingStartAsync(connection, transaction, before.Start.Id, cancellationToken))
        {
            return false;
        }

        await using var revert = connection.Command("UPDATE partner_users SET status = @status, updated_at = @now WHERE id = @id AND status = 'offboarding'", transaction)
            .With("@id", before.User.Id).With("@status", before.User.Status).With("@now", Sql.Time(time.GetUtcNow()));
        await revert.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task SetStatusAsync(string orgId, string normalizedEmail, string status, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("UPDATE partner_users SET status = @status, updated_at = @now WHERE org_id = @org AND normalized_email = @email")
            .With("@org", orgId).With("@email", normalizedEmail).With("@status", status).With("@now", Sql.Time(time.GetUtcNow()));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Reads a user inside a write transaction, serialised with every other change of that user (on PostgreSQL too).</summary>
    private async Task<PartnerUserRecord?> FindSerializedAsync(DbConnection connection, DbTransaction transaction, string id, CancellationToken cancellationToken)
    {
        await database.SerializeAsync(connection, transaction, "user:" + id, cancellationToken);
        await using var find = connection.Command($"SELECT {Columns} FROM partner_users WHERE id = @id", transaction).With("@id", id);
        return (await ReadAllAsync(find, cancellationToken)).FirstOrDefault();
    }
}
