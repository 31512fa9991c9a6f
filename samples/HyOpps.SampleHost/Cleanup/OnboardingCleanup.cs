using HyOpps.SampleHost.Api;
using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Domain;
using HyOpps.SampleHost.Starts;
using HyOpps.Workflows;
using Microsoft.Extensions.Options;

namespace HyOpps.SampleHost.Cleanup;

/// <summary>
/// Cleans up after onboardings that ended short: a <c>new_partner_user</c> execution cancelled, or failed and not retried within
/// <see cref="OnboardingCleanupOptions.FailedGracePeriod"/>, leaves the accounts its steps created. The user record is marked cut
/// short and, when accounts were recorded, moved to offboarding with the pending start of <c>remove_partner_user</c>, in one
/// transaction; then the removal is started. A host that stops in between loses nothing (the reconciler starts the pending start)
/// and starts nothing twice (the record is no longer onboarding, and the removal's idempotency key is the person's).
/// </summary>
public sealed partial class OnboardingCleanup(
    PartnerUserStore users,
    OrgStore orgs,
    PartnerUserService service,
    PendingStartRunner runner,
    IWorkflowClient workflows,
    IOptions<OnboardingCleanupOptions> options,
    TimeProvider time,
    ILogger<OnboardingCleanup> logger) : BackgroundService
{
    /// <summary>The actor the executions' audit trails name for the clean-up's removals.</summary>
    public const string ActorName = "system:onboarding-cleanup";

    /// <summary>Cleans up after every onboarding that ended short; returns how many user records it changed.</summary>
    /// <param name="cancellationToken">The token to cancel the work.</param>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var changed = 0;
        foreach (var user in await users.ListLinkedOnboardingsAsync(cancellationToken))
        {
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

    private async Task<bool> CleanUpAsync(PartnerUserRecord user, CancellationToken cancellationToken)
    {
        var execution = await workflows.GetAsync(user.OnboardingExecutionId!, cancellationToken);
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
    private string? CutShortReason(ExecutionDetail execution) => execution.Status switch
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

    [LoggerMessage(Level = LogLevel.Error, Message = "A pass of the onboarding clean-up failed; the next pass tries again.")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
