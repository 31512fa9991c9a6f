using HyOpps.SampleHost.Domain;

namespace HyOpps.SampleHost.Data;

/// <summary>The clean-up after an onboarding that was cancelled or failed for good (see <c>OnboardingCleanup</c>).</summary>
public sealed partial class PartnerUserStore
{
    /// <summary>Lists the users still onboarding whose onboarding execution is linked: the ones whose onboarding may have ended short.</summary>
    public async Task<IReadOnlyList<PartnerUserRecord>> ListLinkedOnboardingsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"SELECT {Columns} FROM partner_users WHERE status = 'onboarding' AND onboarding_execution_id IS NOT NULL ORDER BY created_at, id");
        return await ReadAllAsync(command, cancellationToken);
    }

    /// <summary>
    /// Records that the onboarding <paramref name="seen"/> names ended short and, in the same transaction, what follows: with accounts
    /// recorded, status offboarding and the pending start of their removal; with none, status removed (nothing to undo). Returns
    /// null, changing nothing, when the record moved on meanwhile (removed by a person, re-added, finished, or cleaned up by another
    /// host), so the clean-up starts once however many hosts and passes see the same execution.
    /// </summary>
    public async Task<RecordedStart?> CutShortOnboardingAsync(PartnerUserRecord seen, string reason, Func<PartnerUserRecord, PendingStart> removal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(seen);
        ArgumentNullException.ThrowIfNull(removal);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var current = await FindSerializedAsync(connection, transaction, seen.Id, cancellationToken);

        if (current is null || current.Status != PartnerUserStatus.Onboarding || current.Generation != seen.Generation
            || current.OnboardingExecutionId != seen.OnboardingExecutionId)
        {
            return null;
        }

        var now = time.GetUtcNow();

        // Accounts read here, inside the transaction: a step that recorded one since the caller looked is not missed.
        var status = current.HasRecordedAccounts ? PartnerUserStatus.Offboarding : PartnerUserStatus.Removed;
        await using (var update = connection.Command(
            "UPDATE partner_users SET status = @status, cut_short_reason = @reason, cut_short_at = @now, updated_at = @now WHERE id = @id", transaction)
            .With("@id", current.Id).With("@status", status).With("@reason", reason).With("@now", Sql.Time(now)))
        {
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        var pending = current.HasRecordedAccounts ? removal(current) : null;
        if (pending is not null)
        {
            await InsertPendingStartAsync(connection, transaction, pending, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new RecordedStart(current with { Status = status, CutShortReason = reason, CutShortAt = now, UpdatedAt = now }, pending);
    }
}
