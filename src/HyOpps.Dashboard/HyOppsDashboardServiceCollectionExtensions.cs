using HyOpps.Dashboard.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace HyOpps;

/// <summary>Registers the services the HyOpps dashboard needs.</summary>
public static class HyOppsDashboardServiceCollectionExtensions
{
    /// <summary>Adds the services the HyOpps dashboard needs (antiforgery, the start-up check that every mount is protected); call it alongside <c>AddHyOpps()</c>.</summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddHyOppsDashboard(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        // AddAntiforgery uses TryAdd, so a host that configured antiforgery itself keeps its settings.
        services.AddAntiforgery();
        services.TryAddSingleton<DashboardMounts>();
        services.TryAddSingleton<BulkJobs>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DashboardAuthorizationCheck>());
        return services;
    }
}
