using System.Diagnostics.CodeAnalysis;

namespace HyOpps.Workflows;

/// <summary>A held lock on an external resource, from <see cref="ISharedResourceLocks"/>; disposing it releases the lock.</summary>
[Experimental("HYOPPS0001")]
public sealed class SharedResourceLock : IAsyncDisposable
{
    private readonly Func<ValueTask> _release;
    private int _released;

    internal SharedResourceLock(string resource, long fencingToken, Func<ValueTask> release, CancellationToken leaseLost)
    {
        Resource = resource;
        FencingToken = fencingToken;
        LeaseLost = leaseLost;
        _release = release;
    }

    /// <summary>Gets the resource's name.</summary>
    public string Resource { get; }

    /// <summary>Gets the fencing token of this acquisition, larger than that of any earlier holder of the resource.</summary>
    public long FencingToken { get; }

    /// <summary>Gets a token signalled when the lease could not be renewed in time, so another host may now hold the lock.</summary>
    /// <remarks>A step passes it (linked with its own token) to the calls it makes under the lock, so that it stops writing once the lock is lost.</remarks>
    public CancellationToken LeaseLost { get; }

    /// <summary>Releases the lock.</summary>
    /// <returns>A task that completes once the lock is released.</returns>
    public ValueTask DisposeAsync() => Interlocked.Exchange(ref _released, 1) == 0 ? _release() : ValueTask.CompletedTask;
}
