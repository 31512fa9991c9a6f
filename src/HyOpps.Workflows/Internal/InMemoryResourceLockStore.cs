using HyOpps.Workflows.Storage;

namespace HyOpps.Workflows.Internal;

/// <summary>Resource leases kept in this process, for a store that keeps none (the in-memory store, for example).</summary>
internal sealed class InMemoryResourceLockStore : IResourceLockStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ResourceLease?> _leases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _tokens = new(StringComparer.Ordinal);

    public ValueTask<ResourceLease?> TryAcquireResourceAsync(string resource, string owner, DateTimeOffset now, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_leases.TryGetValue(resource, out var held) && held is not null && held.ExpiresAt > now)
            {
                return ValueTask.FromResult<ResourceLease?>(null);
            }

            var token = _tokens.GetValueOrDefault(resource) + 1;
            _tokens[resource] = token;
            var lease = new ResourceLease(resource, owner, token, now + leaseDuration);
            _leases[resource] = lease;
            return ValueTask.FromResult<ResourceLease?>(lease);
        }
    }

    public ValueTask<bool> RenewResourceAsync(ResourceLease lease, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_lock)
        {
            if (!_leases.TryGetValue(lease.Resource, out var held) || held?.FencingToken != lease.FencingToken)
            {
                return ValueTask.FromResult(false);
            }

            _leases[lease.Resource] = held with { ExpiresAt = expiresAt };
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask ReleaseResourceAsync(ResourceLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_lock)
        {
            if (_leases.TryGetValue(lease.Resource, out var held) && held?.FencingToken == lease.FencingToken)
            {
                // The token counter stays, so that a later holder's token is larger than this one's.
                _leases.Remove(lease.Resource);
            }

            return ValueTask.CompletedTask;
        }
    }
}
