using HyOpps.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HyOpps.Workflows.Internal;

/// <summary>Waits for executions to settle: woken by this process's runners or by the shared poll of the completion watcher.</summary>
internal sealed class ExecutionWaiter(
    [FromKeyedServices(StoreDecoration.RuntimeStoreKey)] IWorkflowStore store,
    WorkflowRegistry registry,
    ExecutionSignals signals,
    IOptions<HyOppsOptions> options,
    TimeProvider time)
{
    public async Task<ExecutionDetail?> GetAsync(string executionId, CancellationToken cancellationToken)
    {
        var snapshot = await store.GetExecutionAsync(executionId, cancellationToken).ConfigureAwait(false);
        return snapshot is null ? null
            : ExecutionMapper.ToDetail(snapshot, registry.Find(snapshot.Execution.WorkflowName, snapshot.Execution.WorkflowVersion), time.GetUtcNow());
    }

    public async Task<ExecutionDetail> WaitForCompletionAsync(string executionId, CancellationToken cancellationToken)
    {
        using var polls = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            var signalled = false;
            while (true)
            {
                // Subscribe before reading so a change between the read and the wait is not missed. Only the row is
                // read until it is settled: the full detail (steps, attempts, audit) once, at the end. A signal from
                // this process's runner almost always means settled, so the detail is read straight away. While a
                // runner of this process holds the execution, nothing is read: it signals when it stops holding it,
                // and that is after this subscription.
                var changed = signals.WaitForChangeAsync(executionId);
                var settled = signalled;
                if (!settled && !signals.IsRunningHere(executionId))
                {
                    var row = await store.GetExecutionRecordAsync(executionId, cancellationToken).ConfigureAwait(false)
                        ?? throw new ExecutionNotFoundException(executionId);
                    settled = row.Status is not (ExecutionStatus.Pending or ExecutionStatus.Running);
                }

                signalled = false;
                if (settled)
                {
                    var detail = await GetAsync(executionId, cancellationToken).ConfigureAwait(false) ?? throw new ExecutionNotFoundException(executionId);
                    if (detail.IsSettled)
                    {
                        return detail;
                    }

                    continue;
                }

                while (!changed.IsCompleted)
                {
                    if (signals.WatcherRunning)
                    {
                        // The watcher polls for every waiter at once and signals this one when its execution settles.
                        await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
                        signalled = true;
                        break;
                    }

                    await Task.WhenAny(changed, Task.Delay(options.Value.PollInterval, time, polls.Token)).ConfigureAwait(false);
                    cancellationToken.ThrowIfCancellationRequested();
                    signalled = changed.IsCompleted;

                    // While a runner of this process holds the execution, it signals the change that settles it (or its
                    // own end), so reading the store would be wasted; otherwise another process may settle it: poll.
                    if (!signals.IsRunningHere(executionId))
                    {
                        break;
                    }
                }
            }
        }
        finally
        {
            await polls.CancelAsync().ConfigureAwait(false);
        }
    }
}
