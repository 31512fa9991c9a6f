using HyOpps.Workflows.Storage;
using Microsoft.Extensions.Options;

namespace HyOpps.Workflows.Internal;

/// <summary>
/// The local scheduler: the slots of <see cref="HyOppsOptions.MaxConcurrentExecutions"/>, and the runners in them, whether the
/// worker claimed their execution or this process started it.
/// </summary>
internal sealed class ExecutionDispatcher(ExecutionRunner runner, ExecutionSignals signals, IOptions<HyOppsOptions> options)
{
    private readonly int _maxConcurrent = options.Value.MaxConcurrentExecutions;
    private readonly Lock _lock = new();
    private readonly HashSet<Task> _running = [];
    private bool _mayHaveMore;
    private int _reserved;
    private CancellationToken _stopping;
    private volatile bool _accepting;

    /// <summary>Reserves every slot neither running nor reserved, for the worker's next claim.</summary>
    /// <returns>How many were reserved; give back the unused ones with <see cref="ReleaseSlots"/>.</returns>
    public int ReserveFreeSlots()
    {
        lock (_lock)
        {
            var free = Math.Max(0, _maxConcurrent - _running.Count - _reserved);
            _reserved += free;
            return free;
        }
    }

    /// <summary>Gives back slots reserved by <see cref="ReserveFreeSlots"/> or <see cref="TryReserveSlot"/> that will not be used.</summary>
    public void ReleaseSlots(int count)
    {
        lock (_lock)
        {
            _reserved -= count;
        }
    }

    /// <summary>Starts accepting executions; runners stop when <paramref name="stopping"/> is cancelled.</summary>
    public void Open(CancellationToken stopping)
    {
        _stopping = stopping;
        _accepting = true;
    }

    /// <summary>Stops accepting executions and waits for the runners to end.</summary>
    public Task CloseAsync()
    {
        _accepting = false;
        lock (_lock)
        {
            return Task.WhenAll([.. _running]);
        }
    }

    /// <summary>Records whether the last claim filled every free slot, so that more work may be waiting.</summary>
    public void NoteClaimed(int claimed, int free) => Volatile.Write(ref _mayHaveMore, claimed == free);

    /// <summary>Reserves a slot for an execution this process is creating, so that it runs here without being claimed.</summary>
    /// <returns><see langword="false"/> when the worker is not running, has no free slot, or work is queued already.</returns>
    public bool TryReserveSlot()
    {
        if (!_accepting)
        {
            return false;
        }

        lock (_lock)
        {
            // Executions already queued go first: while there may be a backlog, a new one joins the queue too.
            if (Volatile.Read(ref _mayHaveMore))
            {
                return false;
            }

            if (_running.Count + _reserved >= _maxConcurrent)
            {
                // Every slot is taken, so this start is queued: a freed slot must now wake the worker to claim it.
                Volatile.Write(ref _mayHaveMore, true);
                return false;
            }

            _reserved++;
            return true;
        }
    }

    /// <summary>Runs, in a reserved slot, a claimed execution or one this process created already leased to this worker.</summary>
    public void RunReserved(ClaimedExecution claim)
    {
        Task task;
        lock (_lock)
        {
            // The reservation turns into a running slot in one step: a claim in between would overfill the slots.
            _reserved--;

            if (!_accepting)
            {
                // Closed: the runners were collected already, so one started now could outlive the host. The lease expires
                // and a worker claims the execution later. While the host is only stopping, the runner starts and, seeing
                // the stop, hands the execution back at once.
                return;
            }

            // Registered before this returns, so that a waiter that starts right after a start sees the execution held
            // here and waits for the runner's signal instead of reading the store.
            var stopping = _stopping;
            var running = signals.Register(claim.Execution.Id, stopping, out var previous);
            task = Task.Run(() => runner.RunAsync(claim, running, previous, stopping), CancellationToken.None);
            _running.Add(task);
        }

        _ = task.ContinueWith(
            t =>
            {
                lock (_lock)
                {
                    _running.Remove(t);
                }

                // A freed slot matters only when the last claim filled every slot: then more work may be waiting.
                // Otherwise new work announces itself (start, retry, operator action) or the poll finds it.
                if (Volatile.Read(ref _mayHaveMore))
                {
                    signals.NotifyWork();
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }
}
