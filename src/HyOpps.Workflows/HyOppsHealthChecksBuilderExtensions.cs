using HyOpps.Workflows.Internal.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HyOpps;

/// <summary>Adds the HyOpps runtime's health checks.</summary>
public static class HyOppsHealthChecksBuilderExtensions
{
    /// <summary>The tag of every HyOpps health check.</summary>
    public const string Tag = "hyopps";

    /// <summary>
    /// Adds four checks: <c>hyopps-store</c> (reachable, schema current), <c>hyopps-worker</c> (running),
    /// <c>hyopps-executions</c> (Degraded while executions are stuck: due and unclaimed past <c>StuckAfter</c>) and
    /// <c>hyopps-integrations</c> (Degraded naming the settings an integration lacks).
    /// </summary>
    /// <param name="builder">The health checks builder, from <c>services.AddHealthChecks()</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IHealthChecksBuilder AddHyOppsHealthChecks(this IHealthChecksBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        string[] tags = [Tag];
        return builder
            .AddCheck<StoreHealthCheck>("hyopps-store", HealthStatus.Unhealthy, tags)
            .AddCheck<WorkerHealthCheck>("hyopps-worker", HealthStatus.Unhealthy, tags)
            .AddCheck<StuckExecutionsHealthCheck>("hyopps-executions", HealthStatus.Degraded, tags)
            .AddCheck<IntegrationsHealthCheck>("hyopps-integrations", HealthStatus.Degraded, tags);
    }
}
