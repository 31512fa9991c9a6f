using System.Diagnostics.CodeAnalysis;

namespace HyOpps.Workflows;

/// <summary>Locks on external resources shared by every host on the store, for a step's read-modify-write of a resource.</summary>
/// <remarks>
/// For example, Slack's <c>usergroups.users.update</c> replaces a group's whole member list: a step reads the list, adds
/// its person and writes the list back while it holds the group's lock, so that no host's write is based on a stale list.
/// The lock is a lease of the store (PostgreSQL, SQLite), renewed while held; on a store without leases it holds within
/// this process only. Registered by <c>AddHyOpps</c>.
/// </remarks>
[Experimental("HYOPPS0001")]
public interface ISharedResourceLocks
{
    /// <summary>Waits until this host holds the lock of a resource.</summary>
    /// <param name="resource">The resource's name, for example <c>slack:usergroup:S0123</c>.</param>
    /// <param name="cancellationToken">The token to stop waiting.</param>
    /// <returns>The held lock; dispose it to release.</returns>
    /// <exception cref="ArgumentException"><paramref name="resource"/> is null or empty.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was signalled while waiting.</exception>
    ValueTask<SharedResourceLock> AcquireAsync(string resource, CancellationToken cancellationToken);
}
