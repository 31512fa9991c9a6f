namespace HyOpps.Workflows.Storage;

/// <content>The overview.</content>
public sealed partial class InMemoryWorkflowStore
{
    /// <inheritdoc />
    public ValueTask<ExecutionOverview> GetOverviewAsync(OverviewRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        var since = request.Since;
        lock (_lock)
        {
            var scoped = _executions.Values
                .Where(e => request.Labels.All(l => e.Execution.Labels.TryGetValue(l.Key, out var v) && v == l.Value))
                .ToArray();
            var counts = scoped
                .GroupBy(e => (e.Execution.WorkflowName, e.Execution.Status))
                .Select(g => new ExecutionCount(g.Key.WorkflowName, g.Key.Status, g.Count()))
                .OrderBy(c => c.WorkflowName, StringComparer.Ordinal).ThenBy(c => c.Status)
                .ToArray();
            var failing = scoped
                .Where(e => e.Execution.Status == ExecutionStatus.Failed && FinishedAt(e.Execution) >= since && e.Steps.ContainsKey(e.Execution.CurrentStepIndex))
                .Select(e => (e.Execution.WorkflowName, e.Steps[e.Execution.CurrentStepIndex].StepId, Error: e.Steps[e.Execution.CurrentStepIndex].Error ?? e.Execution.Error))
                .GroupBy(f => (f.WorkflowName, f.StepId))
                .Select(g =>
                {
                    // As the SQL stores rank: the most frequent error, a recorded one before none.
                    var common = g.GroupBy(f => f.Error, StringComparer.Ordinal)
                        .OrderByDescending(e => e.Count()).ThenBy(e => e.Key is null).ThenBy(e => e.Key, StringComparer.Ordinal).First();
                    return new FailingStep(g.Key.WorkflowName, g.Key.StepId, g.Count(), common.Key, common.Key is null ? 0 : common.Count());
                })
                .OrderByDescending(f => f.Count).ThenBy(f => f.WorkflowName, StringComparer.Ordinal).ThenBy(f => f.StepId, StringComparer.Ordinal)
                .Take(request.MaxFailingSteps)
                .ToArray();
            var hourly = scoped
                .Where(e => e.Execution.CreatedAt >= since && e.Execution.CreatedAt <= request.Now)
                .GroupBy(e => (int)((e.Execution.CreatedAt - since).Ticks / TimeSpan.TicksPerHour))
                .ToDictionary(g => g.Key, g => g.Count());
            var due = scoped.Select(e => e.Execution)
                .Where(e => e.Status is ExecutionStatus.Pending or ExecutionStatus.Running)
                .Select(DueAt)
                .Where(at => at <= request.Now)
                .ToArray();
            return ValueTask.FromResult(new ExecutionOverview
            {
                Counts = counts,
                FailingSteps = failing,
                StartsPerHour = request.Hourly(hourly),
                DueCount = due.Length,
                OldestDueAt = due.Length == 0 ? null : due.Min(),
            });
        }
    }
}
