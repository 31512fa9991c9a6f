using HyOpps.Workflows.Storage;
using Microsoft.Extensions.Options;

namespace HyOpps.Workflows.Internal;

/// <summary>Takes leases on resources from the store, renews them while held and releases them on dispose.</summary>
/// <remarks>
/// A store that is no <see cref="IResourceLockStore"/> gets leases kept in this process. Waiting polls the store with a
/// growing, jittered pause (leases of other hosts end without a signal here); a release in this process wakes this
/// process's waiters at once.
/// </remarks>
internal sealed class SharedResourceLocks(IWorkflowStore store, IOptions<HyOppsOptions> options, TimeProvider time) : ISharedResourceLocks
{
    internal static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MinPause = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan MaxPause = TimeSpan.FromMilliseconds(200);

    private readonly IResourceLockStore _leases = store as IResourceLockStore ?? new InMemoryResourceLockStore();
    private readonly string _owner = options.Value.WorkerId;
    private readonly Lock _lock = new();
    private TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask<SharedResourceLock> AcquireAsync(string resource, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(resource);
        var pause = MinPause;
        while (true)
        {
            Task released;
            lock (_lock)
            {
                released = _released.Task;
            }

            if (await _leases.TryAcquireResourceAsync(resource, _owner, time.GetUtcNow(), LeaseDuration, cancellationToken).ConfigureAwait(false) is { } lease)
            {
                return Hold(lease);
            }

            var jittered = pause * (0.5 + Random.Shared.NextDouble());
            await Task.WhenAny(released, Task.Delay(jittered, time, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            pause = pause * 2 < MaxPause ? pause * 2 : MaxPause;
        }
    }

    private SharedResourceLock Hold(ResourceLease lease)
    {
        var lost = new CancellationTokenSource();
        var stop = new CancellationTokenSource();
        var heartbeat = RenewAsync(lease, lost, stop.Token);
        return new SharedResourceLock(lease.Resource, lease.FencingToken, async () =>
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await heartbeat.ConfigureAwait(false);
            try
            {
                await _leases.ReleaseResourceAsync(lease, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The work under the lock is done; an unreleased lease only delays the next holder until it expires.
            }
            finally
            {
                stop.Dispose();
                lost.Dispose();
                TaskCompletionSource released;
                lock (_lock)
                {
                    released = _released;
                    _released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                released.TrySetResult();
            }
        }, lost.Token);
    }

    private async Task RenewAsync(ResourceLease lease, CancellationTokenSource lost, CancellationToken stop)
    {
        var expires = lease.ExpiresAt;
        while (true)
        {
            await Task.Delay(LeaseDuration / 3, time, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (stop.IsCancellationRequested)
            {
                return;
            }

            bool renewed;
            var next = time.GetUtcNow() + LeaseDuration;
            try
            {
                renewed = await _leases.RenewResourceAsync(lease, next, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The store is unreachable: the lease holds until it expires, and the next renewal may still succeed.
                renewed = time.GetUtcNow() < expires;
                if (renewed)
                {
                    continue;
                }
            }

            if (!renewed)
            {
                await lost.CancelAsync().ConfigureAwait(false);
                return;
            }

            expires = next;
        }
    }
}
