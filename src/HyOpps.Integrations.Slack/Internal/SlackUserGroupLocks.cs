// The shared resource locks of HyOpps.Workflows are experimental (HYOPPS0001); this package adopts them.
#pragma warning disable HYOPPS0001

namespace HyOpps.Integrations.Slack.Internal;

/// <summary>Serialises read-modify-write of a Slack user group's members within this process, one lock per user group.</summary>
/// <remarks>
/// <c>usergroups.users.update</c> replaces the whole member list, so two onboardings that read the same list and each
/// write their union lose one person. The Slack steps take this lock around read, union, write and confirm. Besides the
/// lock of this process it takes the group's shared resource lock (<see cref="ISharedResourceLocks"/>), which every host
/// on the same store honours; writers outside HyOpps are caught by the confirm read. A singleton registered by <c>AddSlack</c>.
/// </remarks>
internal sealed class SlackUserGroupLocks
{
    private readonly KeyedAsyncLock _locks = new();
    private readonly ISharedResourceLocks? _shared;

    public SlackUserGroupLocks(ISharedResourceLocks? shared = null)
    {
        _shared = shared;
    }

    /// <summary>Gets how many user groups are locked or awaited right now.</summary>
    public int ActiveCount => _locks.ActiveCount;

    /// <summary>Waits for the lock of one user group.</summary>
    /// <param name="userGroupId">The user group id (<c>S...</c>).</param>
    /// <param name="cancellationToken">The token to stop waiting.</param>
    /// <returns>A handle that releases the lock when disposed.</returns>
    /// <exception cref="ArgumentException"><paramref name="userGroupId"/> is null or empty.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was signalled while waiting.</exception>
    public async ValueTask<IAsyncDisposable> AcquireAsync(string userGroupId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userGroupId);
        var local = await _locks.AcquireAsync(userGroupId, cancellationToken).ConfigureAwait(false);
        if (_shared is null)
        {
            return local;
        }

        try
        {
            // In-process waiters queue on the local lock first, so that only one of them at a time polls the store.
            var shared = await _shared.AcquireAsync($"slack:usergroup:{userGroupId}", cancellationToken).ConfigureAwait(false);
            return new Both(shared, local);
        }
        catch
        {
            await local.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private sealed class Both(IAsyncDisposable shared, IAsyncDisposable local) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await shared.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                await local.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
