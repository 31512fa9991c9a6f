using System.Text.Json;
using HyOpps.Onboarding;
using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Domain;
using HyOpps.SampleHost.Workflows;
using HyOpps.Workflows;

namespace HyOpps.SampleHost.Starts;

/// <summary>Starts the execution a pending start owes and links it to the user: for the request that wrote it and for the reconciler.</summary>
public sealed class PendingStartRunner(PartnerUserStore users, IWorkflowClient workflows)
{
    private static readonly ExecutionStatus[] Unsettled = [ExecutionStatus.Pending, ExecutionStatus.Running, ExecutionStatus.WaitingForApproval];

    /// <summary>
    /// Starts the execution, or finds the one an earlier attempt started (same idempotency key). Before a removal it cancels the
    /// user's onboarding still under way, then gives the removal the accounts the onboarding recorded up to then.
    /// </summary>
    public async Task<string> StartAsync(PendingStart start, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        var options = new StartExecutionOptions { IdempotencyKey = start.IdempotencyKey, Labels = start.Labels, Actor = start.Actor, NotBefore = start.NotBefore };
        if (start.WorkflowName != PartnerWorkflowNames.RemovePartnerUser)
        {
            return (await workflows.StartJsonAsync(start.WorkflowName, start.Input, options, cancellationToken)).ExecutionId;
        }

        await StopOnboardingAsync(start, cancellationToken);

        // Offboarding acts only on the accounts the onboarding recorded: read them after the cancel, not when the request was recorded.
        var input = JsonSerializer.Deserialize<PartnerOnboardingInput>(start.Input, HyOppsJson.SerializerOptions)
            ?? throw new InvalidOperationException($"The pending start {start.Id} has no input.");
        if (await users.GetAsync(start.UserId, cancellationToken) is { } user && user.Generation == start.Generation)
        {
            input = input with { User = input.User with { Accounts = user.ToRecordedAccounts() } };
        }

        return (await workflows.StartAsync(start.WorkflowName, input, options, cancellationToken)).ExecutionId;
    }

    /// <summary>Links the execution to the user and deletes the pending start, in one transaction of the sample's database.</summary>
    public Task CompleteAsync(PendingStart start, string executionId, CancellationToken cancellationToken)
        => users.CompletePendingStartAsync(start, executionId, cancellationToken);

    /// <summary>Starts and completes the pending start; returns the execution id.</summary>
    public async Task<string> RunAsync(PendingStart start, CancellationToken cancellationToken)
    {
        var executionId = await StartAsync(start, cancellationToken);
        await CompleteAsync(start, executionId, cancellationToken);
        return executionId;
    }

    private async Task StopOnboardingAsync(PendingStart removal, CancellationToken cancellationToken)
    {
        // An onboarding still owed is started first, so that it can be cancelled: left pending, it would start after the removal.
        if (await users.GetPendingStartAsync(removal.UserId, PartnerWorkflowNames.NewPartnerUser, cancellationToken) is { } onboarding
            && onboarding.Generation == removal.Generation)
        {
            await RunAsync(onboarding, cancellationToken);
        }

        var user = await users.GetAsync(removal.UserId, cancellationToken);
        if (user?.OnboardingExecutionId is { } onboardingId
            && await workflows.GetAsync(onboardingId, cancellationToken) is { } running
            && Unsettled.Contains(running.Status))
        {
            try
            {
                await workflows.CancelAsync(onboardingId, new OperatorAction(removal.Actor, "The user is being removed."), cancellationToken);
            }
            catch (ExecutionStateException)
            {
                // It settled in the meantime; offboarding undoes whatever it did.
            }
        }
    }
}
