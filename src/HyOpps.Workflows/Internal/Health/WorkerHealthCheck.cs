using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace HyOpps.Workflows.Internal.Health;

/// <summary>The worker runs, unless this host is client-only.</summary>
internal sealed class WorkerHealthCheck(WorkflowWorker worker, IOptions<HyOppsOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        => Task.FromResult(!options.Value.RunWorker ? HealthCheckResult.Healthy("This host runs no worker (RunWorker is false).")
            : worker.IsRunning ? HealthCheckResult.Healthy($"The worker {options.Value.WorkerId} is running.")
            : new HealthCheckResult(context.Registration.FailureStatus, "The worker is not running."));
}
