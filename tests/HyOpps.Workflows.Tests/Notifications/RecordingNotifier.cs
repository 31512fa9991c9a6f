using System.Collections.Concurrent;
using HyOpps.Workflows.Notifications;

namespace HyOpps.Workflows.Tests.Notifications;

/// <summary>Records every notification it is given; fails its first <see cref="FailuresLeft"/> calls.</summary>
public sealed class RecordingNotifier : IExecutionNotifier
{
    private readonly ConcurrentQueue<ExecutionNotification> _received = new();
    private int _failuresLeft;
    private int _calls;

    public int FailuresLeft { get => Volatile.Read(ref _failuresLeft); set => Volatile.Write(ref _failuresLeft, value); }

    public int Calls => Volatile.Read(ref _calls);

    public IReadOnlyList<ExecutionNotification> Received => [.. _received];

    /// <summary>Gets or sets what a call does after recording, for example waiting until the host stops.</summary>
    public Func<CancellationToken, Task>? After { get; set; }

    public async ValueTask NotifyAsync(ExecutionNotification notification, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        if (Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            throw new InvalidOperationException("The channel is down.");
        }

        _received.Enqueue(notification);
        if (After is { } after)
        {
            await after(cancellationToken);
        }
    }
}
