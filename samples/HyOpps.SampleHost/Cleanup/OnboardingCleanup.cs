using HyOpps.SampleHost.Api;
using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Domain;
using HyOpps.SampleHost.Starts;
using HyOpps.Workflows;
using HyOpps.Workflows.Storage;
using Microsoft.Extensions.Options;

// The pass reads the rows of the linked onboardings' executions in batches through the store (IWorkflowStore is experimental):
// the client reads executions one full detail at a time, or lists by filter, which would page through every cancelled and
// failed onboarding the store keeps rather than the few still linked.
#pragma warning disable HYOPPS0001

namespace HyOpps.SampleHost.Cleanup;

/// <summary>
/// Cleans up after onboardings that ended short: a <c>new_partner_user</c> execution cancelled, or failed and not retried within
/// <see cref="OnboardingCleanupOptions.FailedGracePeriod"/>, leaves the accounts its steps created. The user record is marked cut
/// short and, when accounts were recorded, moved to offboarding with the pending start of <c>remove_partner_user</c>, in one
/// transaction; then the removal is started. A host that stops in between loses nothing (the reconciler starts the pending start)
/// and starts nothing twice (the record is no longer onboarding, and the removal's idempotency key is the person's).
/// A pass reads the users still onboarding in one query, then their executions' rows (no steps, attempts or audit) in batches of
/// 500, and the row of an onboarding it cleans up once more before acting: its cost grows by one store
/// query per batch and per clean-up, not by one detail read (steps, attempts and audit) per user.
/// </summary>
public sealed partial class OnboardingCleanup(
    PartnerUserStore users,
    OrgStore orgs,
    PartnerUserService service,
    PendingStartRunner runner,
    IWorkflowStore store,
    IOptions<OnboardingCleanupOptions> options,
    TimeProvider time,
    ILogger<OnboardingCleanup> logger) : BackgroundService
{
    /// <summary>The actor the executions' audit trails name for the clean-up's removals.</summary>
    public const string ActorName = "system:onboarding-cleanup";

    /// <summary>Gets or sets how many executions' rows a pass reads in one store query; tests lower it to see the batching.</summary>
    internal int BatchSize { get; set; } = 500;

    /// <summary>Cleans up after every onboarding that ended short; returns how many user records it changed.</summary>
    /// <param name="cancellationToken">The token to cancel the work.</param>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var changed = 0;
        foreach (var batch in (await users.ListLinkedOnboardingsAsync(cancellationToken)).Chunk(BatchSize))
        {
            IReadOnlyDictionary<string, ExecutionRecord> executions;
            try
            {
                executions = await ReadExecutionsAsync(batch, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // A batch that cannot be read now must not hold up the others; the next pass tries again.
                LogReadFailed(logger, ex, batch.Length);
                continue;
            }

            foreach (var user in batch)
            {
                // An execution that is gone (deleted by retention) or may still finish is left alone, as is its user.
                if (!executions.TryGetValue(user.OnboardingExecutionId!, out var execution) || CutShortReason(execution) is null)
                {
                    continue;
                }

                try
                {
                    if (await CleanUpAsync(user, cancellationToken))
                    {
                        changed++;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // One user whose clean-up cannot start now must not hold up the others; the next pass (or the reconciler) tries again.
                    LogFailed(logger, ex, user.Id);
                }
            }
        }

        return changed;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogPassFailed(logger, ex);
            }

            try
            {
                await Task.Delay(options.Value.Interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Reads the rows of a batch of users' onboarding executions in one store query, by execution id.</summary>
    private async Task<IReadOnlyDictionary<string, ExecutionRecord>> ReadExecutionsAsync(PartnerUserRecord[] batch, CancellationToken cancellationToken)
    {
        string[] ids = [.. batch.Select(u => u.OnboardingExecutionId!).Distinct(StringComparer.Ordinal)];
        var executions = new Dictionary<string, ExecutionRecord>(ids.Length, StringComparer.Ordinal);
        foreach (var row in await store.GetExecutionRecordsAsync(ids, cancellationToken))
        {
            executions[row.Id] = row;
        }

        return executions;
    }

    private async Task<bool> CleanUpAsync(PartnerUserRecord user, CancellationToken cancellationToken)
    {
        // The batch was read before the clean-ups of the users ahead of this one: the row is read again, so that an onboarding an
        // operator retried meanwhile is left alone.
        var execution = await store.GetExecutionRecordAsync(user.OnboardingExecutionId!, cancellationToken);
        if (execution is null || CutShortReason(execution) is not { } reason)
        {
            return false;
        }

        var org = await orgs.GetAsync(user.OrgId, cancellationToken)
            ?? throw new InvalidOperationException($"The org {user.OrgId} of partner user {user.Id} does not exist.");
        var recorded = await users.CutShortOnboardingAsync(user, reason, before => service.RemovalStart(org, before, ActorName), cancellationToken);
        if (recorded is null)
        {
            return false;
        }

        if (recorded.Start is null)
        {
            LogNothingToRemove(logger, user.Id, execution.Id, reason);
            return true;
        }

        var removalId = await runner.RunAsync(recorded.Start, cancellationToken);
        LogRemovalStarted(logger, removalId, user.Id, execution.Id, reason);
        return true;
    }

    /// <summary>Tells why the onboarding ended short, or null while it may still finish (running, or failed within the grace period).</summary>
    private string? CutShortReason(ExecutionRecord execution) => execution.Status switch
    {
        ExecutionStatus.Cancelled => CutShortReasons.Cancelled,
        ExecutionStatus.Failed when (execution.CompletedAt ?? execution.UpdatedAt) + options.Value.FailedGracePeriod <= time.GetUtcNow() => CutShortReasons.Failed,
        _ => null,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Started remove_partner_user execution {ExecutionId} for partner user {UserId}: their onboarding {OnboardingId} was {Reason} after creating accounts.")]
    private static partial void LogRemovalStarted(ILogger logger, string executionId, string userId, string onboardingId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Marked partner user {UserId} removed: their onboarding {OnboardingId} was {Reason} before any account was recorded.")]
    private static partial void LogNothingToRemove(ILogger logger, string userId, string onboardingId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The clean-up after the onboarding of partner user {UserId} failed; the next pass tries again.")]
    private static partial void LogFailed(ILogger logger, Exception exception, string userId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The onboarding clean-up could not read the executions of {Count} onboarding users; the next pass tries again.")]
    private static partial void LogReadFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "A pass of the onboarding clean-up failed; the next pass tries again.")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
