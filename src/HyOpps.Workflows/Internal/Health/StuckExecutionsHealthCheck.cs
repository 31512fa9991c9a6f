using System.Globalization;
using HyOpps.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace HyOpps.Workflows.Internal.Health;

/// <summary>Degraded while executions are due and unclaimed (their lease expired, or their retry is due) for longer than <see cref="HyOppsOptions.StuckAfter"/>.</summary>
internal sealed class StuckExecutionsHealthCheck(
    [FromKeyedServices(StoreDecoration.RuntimeStoreKey)] IWorkflowStore store,
    IOptions<HyOppsOptions> options,
    TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var stuckAfter = options.Value.StuckAfter;
        var status = await store.GetStatusAsync(new WorkflowStoreStatusRequest(now, now - stuckAfter), cancellationToken).ConfigureAwait(false);
        var data = new Dictionary<string, object>
        {
            ["due"] = status.DueCount,
            ["stuck"] = status.StuckCount,
            ["oldest_due_age_seconds"] = status.OldestDueAt is { } oldest ? Math.Round((now - oldest).TotalSeconds) : 0,
        };
        return status.StuckCount == 0
            ? HealthCheckResult.Healthy($"{status.DueCount} executions due, none waiting longer than {stuckAfter}.", data)
            : new HealthCheckResult(
                context.Registration.FailureStatus,
                string.Create(CultureInfo.InvariantCulture, $"{status.StuckCount} executions have been due and unclaimed for longer than {stuckAfter}: is a worker running and able to reach the store?"),
                data: data);
    }
}
