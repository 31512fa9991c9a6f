using HyOpps.Workflows.Internal.Machine;
using HyOpps.Workflows.Internal.Notifications;
using HyOpps.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HyOpps.Workflows.Internal;

/// <summary>
/// Commits a running execution's transitions and checkpoints under its claim's fencing token, and does what each commit means:
/// a refused one is a lost lease, a settled or waiting one wakes completion waiters.
/// </summary>
internal sealed partial class ExecutionCommitter(
    [FromKeyedServices(StoreDecoration.RuntimeStoreKey)] IWorkflowStore store,
    ExecutionSignals signals,
    NotificationSwitch notifications,
    TimeProvider time,
    ILogger<ExecutionRunner> logger) // the runner's category: these are the runner's events, split out only to keep files small
{
    public async Task<bool> CommitAsync(ExecutionState state, Transition transition, CancellationToken cancellationToken)
    {
        bool committed;
        try
        {
            committed = await store.CommitAsync(transition.ToCommit(expectedFencingToken: state.FencingToken, notify: notifications.Enabled), CancellationToken.None)
                .AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        if (!committed)
        {
            LogLeaseLost(logger, state.Execution.Id);
            RuntimeTelemetry.LeaseLost(state.Execution.WorkflowName);
            signals.NotifyChanged(state.Execution.Id);
            return false;
        }

        RuntimeTelemetry.Committed(transition);
        if (transition.Settles)
        {
            LogExecutionCompleted(logger, state.Execution.Id, state.Execution.WorkflowName, transition.Execution.Status);
        }

        if (transition.Releases)
        {
            // Only a settled or waiting state wakes completion waiters: a step's progress does not, so that waiting for an
            // execution costs two reads rather than one per step.
            signals.NotifyChanged(state.Execution.Id);
        }

        return true;
    }

    public async ValueTask SaveCheckpointAsync(ExecutionState state, string json, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var view = state.Update(v => v with
        {
            Execution = v.Execution with { UpdatedAt = now },
            Steps = [.. v.Steps.Select(s => s.Index == v.Index ? s with { Checkpoint = json } : s)],
        });
        var committed = await store.CommitAsync(
            new ExecutionCommit { Execution = view.Execution, ExpectedFencingToken = state.FencingToken, Steps = [view.Current] },
            cancellationToken).ConfigureAwait(false);
        if (!committed)
        {
            throw new OperationCanceledException("The execution's lease was lost; the checkpoint was not saved.");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Execution {ExecutionId} of {WorkflowName}: {Status}.")]
    private static partial void LogExecutionCompleted(ILogger logger, string executionId, string workflowName, ExecutionStatus status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution {ExecutionId}: the lease was lost or revoked; this worker stops running it.")]
    private static partial void LogLeaseLost(ILogger logger, string executionId);
}
