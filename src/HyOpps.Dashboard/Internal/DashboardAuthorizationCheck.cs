using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HyOpps.Dashboard.Internal;

/// <summary>
/// Fails start-up when a dashboard mount would be served to anyone: its endpoints carry no authorization, the app has no
/// fallback policy, and the mount did not opt in to anonymous access. Conventions such as <c>.RequireAuthorization()</c> are
/// added after <c>MapHyOppsDashboard</c> returns, so the endpoints are inspected here, once the app is built.
/// </summary>
internal sealed class DashboardAuthorizationCheck(DashboardMounts mounts, IServiceProvider services) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var fallback = services.GetService<IAuthorizationPolicyProvider>() is { } provider ? await provider.GetFallbackPolicyAsync().ConfigureAwait(false) : null;
        foreach (var (mount, endpoints) in mounts.All)
        {
            if (mount.AllowAnonymous || fallback is not null)
            {
                continue;
            }

            var open = endpoints.DataSources.SelectMany(d => d.Endpoints)
                .Where(e => ReferenceEquals(e.Metadata.GetMetadata<DashboardMount>(), mount))
                .FirstOrDefault(e => e.Metadata.GetMetadata<IAuthorizeData>() is null
                    && e.Metadata.GetMetadata<AuthorizationPolicy>() is null
                    && e.Metadata.GetMetadata<IAllowAnonymous>() is null);
            if (open is not null)
            {
                throw new InvalidOperationException(
                    $"The HyOpps dashboard mounted at '{mount.Prefix}' has no authorization, so anyone could read executions. "
                    + $"Add .RequireAuthorization(...) to app.MapHyOppsDashboard(\"{mount.Prefix}\", ...) (or set an authorization fallback policy); "
                    + "to serve it to anyone on purpose, set HyOppsDashboardOptions.AllowAnonymous = true.");
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
