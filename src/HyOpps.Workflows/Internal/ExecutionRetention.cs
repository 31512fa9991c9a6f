using HyOpps.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyOpps.Workflows.Internal;

/// <summary>Turns the retention options into store requests, one per workflow and finished status.</summary>
internal sealed partial class ExecutionRetention(
    [FromKeyedServices(StoreDecoration.RuntimeStoreKey)] IWorkflowStore store,
    WorkflowRegistry registry,
    IOptions<HyOppsOptions> options,
    TimeProvider time,
    ILogger<ExecutionRetention> logger) : IExecutionRetention
{
    private static readonly ExecutionStatus[] Finished = [ExecutionStatus.Succeeded, ExecutionStatus.Failed, ExecutionStatus.Cancelled];

    public async Task<IReadOnlyList<ExpiredExecutionCount>> CountExpiredAsync(CancellationToken cancellationToken)
    {
        var counts = new List<ExpiredExecutionCount>();
        foreach (var request in Requests())
        {
            var count = await store.CountFinishedExecutionsAsync(request, cancellationToken).ConfigureAwait(false);
            if (count > 0)
            {
                counts.Add(new ExpiredExecutionCount(request.WorkflowName, request.Status, request.FinishedBefore, count));
            }
        }

        return counts;
    }

    public async Task<long> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        long total = 0;
        foreach (var request in Requests())
        {
            long deleted = 0;
            int batch;
            do
            {
                // One short transaction per batch, so that the runtime's own writes wait for one batch at most.
                batch = await store.DeleteFinishedExecutionsAsync(request, cancellationToken).ConfigureAwait(false);
                deleted += batch;
            }
            while (batch >= request.MaxCount);

            if (deleted > 0)
            {
                LogDeleted(logger, deleted, request.Status, request.WorkflowName, request.FinishedBefore);
            }

            total += deleted;
        }

        return total;
    }

    private List<RetentionRequest> Requests()
    {
        var retention = options.Value.Retention;
        var now = time.GetUtcNow();
        var names = registry.All.Select(d => d.Name).Concat(retention.Workflows.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var requests = new List<RetentionRequest>();
        foreach (var name in names)
        {
            retention.Workflows.TryGetValue(name, out var own);
            foreach (var status in Finished)
            {
                var age = status switch
                {
                    ExecutionStatus.Succeeded => own?.SucceededAge ?? retention.SucceededAge,
                    ExecutionStatus.Failed => own?.FailedAge ?? retention.FailedAge,
                    _ => own?.CancelledAge ?? retention.CancelledAge,
                };
                requests.Add(new RetentionRequest { WorkflowName = name, Status = status, FinishedBefore = now - age, MaxCount = retention.BatchSize });
            }
        }

        return requests;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention deleted {Count} {Status} executions of {WorkflowName} that finished before {FinishedBefore:o}.")]
    private static partial void LogDeleted(ILogger logger, long count, ExecutionStatus status, string workflowName, DateTimeOffset finishedBefore);
}
