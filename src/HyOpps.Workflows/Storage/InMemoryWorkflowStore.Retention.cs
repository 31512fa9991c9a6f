namespace HyOpps.Workflows.Storage;

/// <content>Retention.</content>
public sealed partial class InMemoryWorkflowStore
{
    /// <inheritdoc />
    public ValueTask<int> DeleteFinishedExecutionsAsync(RetentionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        lock (_lock)
        {
            var doomed = Expired(request).OrderBy(e => FinishedAt(e.Execution)).Take(request.MaxCount).ToArray();
            foreach (var entry in doomed)
            {
                _executions.Remove(entry.Execution.Id);
                if (entry.Execution.IdempotencyKey is { } key)
                {
                    _keys.Remove((entry.Execution.WorkflowName, key));
                }
            }

            return ValueTask.FromResult(doomed.Length);
        }
    }

    /// <inheritdoc />
    public ValueTask<long> CountFinishedExecutionsAsync(RetentionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        lock (_lock)
        {
            return ValueTask.FromResult((long)Expired(request).Count());
        }
    }

    private IEnumerable<Entry> Expired(RetentionRequest request)
        => _executions.Values.Where(e => e.Execution.WorkflowName == request.WorkflowName
            && e.Execution.Status == request.Status
            && FinishedAt(e.Execution) < request.FinishedBefore);

    private static DateTimeOffset FinishedAt(ExecutionRecord e) => e.CompletedAt ?? e.UpdatedAt;
}
