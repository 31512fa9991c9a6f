using HyOpps.Integrations.Slack.Internal;

namespace HyOpps.Integrations.Slack;

/// <summary>Serialises read-modify-write of a Slack user group's members within this process, one lock per user group.</summary>
/// <remarks>
/// <c>usergroups.users.update</c> replaces the whole member list, so two onboardings that read the same list and each
/// write their union lose one person. The Slack steps take this lock around read, union, write and confirm; writers in
/// other processes are caught by the confirm read instead. A singleton registered by <c>AddSlack</c>.
/// </remarks>
public sealed class SlackUserGroupLocks
{
    private readonly KeyedAsyncLock _locks = new();

    internal SlackUserGroupLocks()
    {
    }

    /// <summary>Gets how many user groups are locked or awaited right now.</summary>
    public int ActiveCount => _locks.ActiveCount;

    /// <summary>Waits for the lock of one user group.</summary>
    /// <param name="userGroupId">The user group id (<c>S...</c>).</param>
    /// <param name="cancellationToken">The token to stop waiting.</param>
    /// <returns>A handle that releases the lock when disposed.</returns>
    /// <exception cref="ArgumentException"><paramref name="userGroupId"/> is null or empty.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was signalled while waiting.</exception>
    public ValueTask<IAsyncDisposable> AcquireAsync(string userGroupId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userGroupId);
        return _locks.AcquireAsync(userGroupId, cancellationToken);
    }
}
