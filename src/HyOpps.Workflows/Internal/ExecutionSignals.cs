using System.Collections.Concurrent;
using System.Threading.Channels;

namespace HyOpps.Workflows.Internal;

/// <summary>In-process signals: new work for the worker, changes for waiters, cancellation of running executions.</summary>
internal sealed class ExecutionSignals
{
    private readonly Channel<bool> _work = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _changes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RunningExecution> _running = new(StringComparer.Ordinal);
    private bool _watcherRunning;

    public void NotifyWork() => _work.Writer.TryWrite(true);

    public async Task WaitForWorkAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        if (_work.Reader.TryRead(out _))
        {
            return;
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var signalled = _work.Reader.WaitToReadAsync(cts.Token).AsTask();
        var delay = Task.Delay(timeout < TimeSpan.Zero ? TimeSpan.Zero : timeout, time, cts.Token);
        await Task.WhenAny(signalled, delay).ConfigureAwait(false);
        await cts.CancelAsync().ConfigureAwait(false);
        _work.Reader.TryRead(out _);
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Returns a task that completes at the next in-process change that may have settled the execution (a runner's final commit, an operator action, a runner ending).</summary>
    public Task WaitForChangeAsync(string executionId)
        => _changes.GetOrAdd(executionId, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void NotifyChanged(string executionId)
    {
        if (_changes.TryRemove(executionId, out var tcs))
        {
            tcs.TrySetResult();
        }
    }

    /// <summary>Gets or sets a value indicating whether the <see cref="CompletionWatcher"/> polls for the waiters, so that they need not poll themselves.</summary>
    public bool WatcherRunning
    {
        get => Volatile.Read(ref _watcherRunning);
        set => Volatile.Write(ref _watcherRunning, value);
    }

    /// <summary>Gets the executions someone waits on that no runner of this process holds.</summary>
    public IReadOnlyList<string> WatchedElsewhere() => [.. _changes.Keys.Where(id => !_running.ContainsKey(id))];

    /// <summary>Wakes every waiter, for example when the watcher stops and waiters must poll for themselves again.</summary>
    public void NotifyAllWaiters()
    {
        foreach (var id in _changes.Keys)
        {
            NotifyChanged(id);
        }
    }

    /// <summary>Gets a value indicating whether a runner of this process holds the execution; it signals when it stops holding it.</summary>
    public bool IsRunningHere(string executionId) => _running.ContainsKey(executionId);

    /// <summary>Registers a runner of the execution; returns the runner of this process it replaces, which the new one waits for.</summary>
    /// <remarks>
    /// A slow runner may outlive its lease and this worker claim the execution again: the old runner's commits are fenced
    /// off, but its step could still be running. Waiting for it keeps one execution to one step at a time in a process.
    /// </remarks>
    public RunningExecution Register(string executionId, CancellationToken stopping, out RunningExecution? previous)
    {
        var running = new RunningExecution(CancellationTokenSource.CreateLinkedTokenSource(stopping));
        RunningExecution? replaced = null;
        _running.AddOrUpdate(executionId, running, (_, old) =>
        {
            replaced = old;
            return running;
        });
        previous = replaced;
        return running;
    }

    public void Unregister(string executionId, RunningExecution running)
    {
        _running.TryRemove(new KeyValuePair<string, RunningExecution>(executionId, running));
        running.Dispose();
    }

    public void RequestCancel(string executionId)
    {
        if (_running.TryGetValue(executionId, out var running))
        {
            running.CancelByOperator();
        }
    }
}

internal sealed class RunningExecution(CancellationTokenSource cts) : IDisposable
{
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _cancelledByOperator;

    /// <summary>Gets a task that completes when the runner has stopped.</summary>
    public Task Ended => _ended.Task;

    public CancellationToken Token => cts.Token;

    public bool CancelledByOperator => Volatile.Read(ref _cancelledByOperator) == 1;

    public void CancelByOperator()
    {
        Interlocked.Exchange(ref _cancelledByOperator, 1);
        try
        {
            cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _ended.TrySetResult();
        cts.Dispose();
    }
}
