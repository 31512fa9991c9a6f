using System.Collections.Concurrent;
using Microsoft.AspNetCore.Routing;

namespace HyOpps.Dashboard.Internal;

/// <summary>The dashboard mounts of an app and the route builders that hold their endpoints.</summary>
internal sealed class DashboardMounts
{
    private readonly ConcurrentDictionary<DashboardMount, IEndpointRouteBuilder> _mounts = new(ReferenceEqualityComparer.Instance);

    public void Add(DashboardMount mount, IEndpointRouteBuilder endpoints) => _mounts[mount] = endpoints;

    public IEnumerable<(DashboardMount Mount, IEndpointRouteBuilder Endpoints)> All => _mounts.Select(m => (m.Key, m.Value));
}
