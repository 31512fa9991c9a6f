using System.Diagnostics.CodeAnalysis;

namespace HyOpps.Workflows.Storage;

/// <summary>Implemented by a store that keeps leases on named external resources, shared by every host on the store.</summary>
/// <remarks>
/// A lease is held until it is released or expires; every acquisition gets a fencing token larger than any earlier one
/// of the same resource, so a holder whose lease expired is told so when it renews. Steps use these leases through
/// <see cref="ISharedResourceLocks"/>; a store without them gets locks of this process only.
/// </remarks>
[Experimental("HYOPPS0001")]
public interface IResourceLockStore
{
    /// <summary>Takes the lease of a resource if nobody holds a live one.</summary>
    /// <param name="resource">The resource's name, for example <c>slack:usergroup:S0123</c>.</param>
    /// <param name="owner">Who takes it (the worker id).</param>
    /// <param name="now">The current time.</param>
    /// <param name="leaseDuration">How long the lease lasts unless renewed.</param>
    /// <param name="cancellationToken">The token to cancel the work.</param>
    /// <returns>The lease, or <see langword="null"/> while another holder's lease is live.</returns>
    ValueTask<ResourceLease?> TryAcquireResourceAsync(string resource, string owner, DateTimeOffset now, TimeSpan leaseDuration, CancellationToken cancellationToken);

    /// <summary>Extends a lease while its fencing token is still the latest and it was not released.</summary>
    /// <param name="lease">The lease.</param>
    /// <param name="expiresAt">The new expiry.</param>
    /// <param name="cancellationToken">The token to cancel the work.</param>
    /// <returns><see langword="false"/> when the lease was lost.</returns>
    ValueTask<bool> RenewResourceAsync(ResourceLease lease, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Releases a lease if it is still the latest; a lost lease is left alone.</summary>
    /// <param name="lease">The lease.</param>
    /// <param name="cancellationToken">The token to cancel the work.</param>
    /// <returns>A task that completes once the release is committed.</returns>
    ValueTask ReleaseResourceAsync(ResourceLease lease, CancellationToken cancellationToken);
}
