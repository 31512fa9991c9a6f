using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HyOpps.Workflows.Internal.Health;

/// <summary>Each registered integration has its settings; one that lacks some is Degraded, naming the keys.</summary>
internal sealed class IntegrationsHealthCheck(IEnumerable<IHyOppsIntegrationCheck> integrations) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var integration in integrations)
        {
            var keys = integration.GetMissingSettings();
            data[integration.Name] = keys.Count == 0 ? "configured" : $"missing {string.Join(", ", keys)}";
            if (keys.Count > 0)
            {
                missing.Add($"{integration.Name} (set {string.Join(", ", keys)})");
            }
        }

        return Task.FromResult(missing.Count == 0
            ? HealthCheckResult.Healthy(data.Count == 0 ? "No integration reports its settings." : "Every integration is configured.", data)
            : new HealthCheckResult(
                context.Registration.FailureStatus == HealthStatus.Unhealthy ? HealthStatus.Degraded : context.Registration.FailureStatus,
                $"Not configured: {string.Join("; ", missing)}. Steps of these integrations fail for orgs that use them.",
                data: data));
    }
}
