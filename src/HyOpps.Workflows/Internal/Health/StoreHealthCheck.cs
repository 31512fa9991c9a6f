using HyOpps.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HyOpps.Workflows.Internal.Health;

/// <summary>The store answers, and its schema is the one this version expects.</summary>
internal sealed class StoreHealthCheck(
    [FromKeyedServices(StoreDecoration.RuntimeStoreKey)] IWorkflowStore store,
    TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        WorkflowStoreStatus status;
        try
        {
            var now = time.GetUtcNow();
            status = await store.GetStatusAsync(new WorkflowStoreStatusRequest(now, now), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The workflow store did not answer: {ex.GetType().Name}.");
        }

        return status.SchemaCurrent
            ? HealthCheckResult.Healthy("The workflow store answers and its schema is current.")
            : new HealthCheckResult(context.Registration.FailureStatus, "The workflow store's schema is not the one this version expects; restart a host to migrate it.");
    }
}
