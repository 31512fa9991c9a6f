using HyOpps.Workflows;

namespace HyOpps.Workflows.Storage;

/// <summary>A store that keeps executions in process memory: for tests and demos, not durable.</summary>
/// <remarks>It is the default until a durable store such as <c>UseSqlite</c> is configured; a process exit loses every execution.</remarks>
public sealed partial class InMemoryWorkflowStore : IWorkflowStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _executions = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Workflow, string Key), string> _keys = [];

    /// <inheritdoc />
    public ValueTask InitializeAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public ValueTask<CreateExecutionResult> CreateExecutionAsync(ExecutionRecord execution, IReadOnlyList<StepRecord> steps, IReadOnlyList<AuditRecord> audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(execution);
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(audit);
        lock (_lock)
        {
            if (execution.IdempotencyKey is { } key && _keys.TryGetValue((execution.WorkflowName, key), out var existing))
            {
                return ValueTask.FromResult(new CreateExecutionResult(_executions[existing].Execution, Created: false));
            }

            if (_executions.ContainsKey(execution.Id))
            {
                throw new InvalidOperationException($"Execution '{execution.Id}' exists already.");
            }

            var created = execution with { FencingToken = 0, Version = 1 };
            var entry = new Entry(created);
            foreach (var step in steps)
            {
                entry.Steps[step.Index] = step;
            }

            entry.Audit.AddRange(audit);
            _executions[created.Id] = entry;
            if (created.IdempotencyKey is { } k)
            {
                _keys[(created.WorkflowName, k)] = created.Id;
            }

            return ValueTask.FromResult(new CreateExecutionResult(created, Created: true));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ClaimedExecution>> ClaimAsync(ClaimRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_lock)
        {
            var claims = _executions.Values
                .Where(e => e.Execution.Status is ExecutionStatus.Pending or ExecutionStatus.Running
                    && (e.Execution.NextRunAt is null || e.Execution.NextRunAt <= request.Now)
                    && (e.Execution.LeaseExpiresAt is null || e.Execution.LeaseExpiresAt <= request.Now))
                .OrderBy(e => e.Execution.NextRunAt ?? DateTimeOffset.MinValue)
                .ThenBy(e => e.Sequence)
                .Take(request.MaxCount)
                .ToArray()
                .Select(e =>
                {
                    e.Execution = e.Execution with
                    {
                        LeaseOwner = request.WorkerId,
                        LeaseExpiresAt = request.Now + request.LeaseDuration,
                        FencingToken = e.Execution.FencingToken + 1,
                        Version = e.Execution.Version + 1,
                    };
                    return new ClaimedExecution(
                        e.Execution,
                        e.Steps.Values.OrderBy(s => s.Index).ToArray(),
                        e.Attempts.Values.Where(a => a.Outcome == AttemptOutcome.Running).ToArray());
                })
                .ToArray();
            return ValueTask.FromResult<IReadOnlyList<ClaimedExecution>>(claims);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> RenewLeaseAsync(string executionId, long fencingToken, DateTimeOffset leaseExpiresAt, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_executions.TryGetValue(executionId, out var entry) || entry.Execution.FencingToken != fencingToken || entry.Execution.LeaseOwner is null)
            {
                return ValueTask.FromResult(false);
            }

            entry.Execution = entry.Execution with { LeaseExpiresAt = leaseExpiresAt };
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> CommitAsync(ExecutionCommit commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commit);
        if (commit.ExpectedFencingToken is null && commit.ExpectedVersion is null)
        {
            throw new ArgumentException("A commit needs a guard: an expected fencing token or an expected version.", nameof(commit));
        }

        lock (_lock)
        {
            if (!_executions.TryGetValue(commit.Execution.Id, out var entry)
                || (commit.ExpectedFencingToken is { } token && entry.Execution.FencingToken != token)
                || (commit.ExpectedVersion is { } version && entry.Execution.Version != version))
            {
                return ValueTask.FromResult(false);
            }

            entry.Execution = commit.Execution with
            {
                // Identity, input and labels are fixed at creation; a commit changes only the state.
                Input = entry.Execution.Input,
                Labels = entry.Execution.Labels,
                IdempotencyKey = entry.Execution.IdempotencyKey,
                CreatedAt = entry.Execution.CreatedAt,
                TraceParent = entry.Execution.TraceParent,
                Version = entry.Execution.Version + 1,
                FencingToken = entry.Execution.FencingToken + (commit.RevokeLease ? 1 : 0),
            };
            foreach (var step in commit.Steps)
            {
                entry.Steps[step.Index] = step;
            }

            foreach (var attempt in commit.Attempts)
            {
                entry.Attempts[(attempt.StepIndex, attempt.Run, attempt.Number)] = attempt;
            }

            entry.Audit.AddRange(commit.Audit);
            foreach (var notification in commit.Notifications)
            {
                AddNotification(notification);
            }

            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<ExecutionSnapshot?> GetExecutionAsync(string executionId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_executions.TryGetValue(executionId, out var entry)
                ? new ExecutionSnapshot(
                    entry.Execution,
                    entry.Steps.Values.OrderBy(s => s.Index).ToArray(),
                    entry.Attempts.OrderBy(a => a.Key).Select(a => a.Value).ToArray(),
                    entry.Audit.ToArray())
                : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<ExecutionPage> ListExecutionsAsync(ExecutionQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        lock (_lock)
        {
            var matches = _executions.Values
                .Where(e => query.CurrentStepId is null || (e.Steps.TryGetValue(e.Execution.CurrentStepIndex, out var step) && step.StepId == query.CurrentStepId))
                .Select(e => e.Execution)
                .Where(e => query.WorkflowName is null || e.WorkflowName == query.WorkflowName)
                .Where(e => query.Statuses.Count == 0 || query.Statuses.Contains(e.Status))
                .Where(e => query.Labels.All(l => e.Labels.TryGetValue(l.Key, out var v) && v == l.Value))
                .Where(e => query.AnyLabelValue is null || e.Labels.Values.Contains(query.AnyLabelValue, StringComparer.Ordinal))
                .Where(e => query.CreatedFrom is null || e.CreatedAt >= query.CreatedFrom)
                .Where(e => query.CreatedTo is null || e.CreatedAt < query.CreatedTo)
                .Where(e => query.NextRunAfter is null || e.NextRunAt > query.NextRunAfter)
                .OrderByDescending(e => e.CreatedAt)
                .ThenByDescending(e => e.Id, StringComparer.Ordinal)
                .ToArray();
            return ValueTask.FromResult(new ExecutionPage(matches.Skip(query.Offset).Take(query.Limit).ToArray(), matches.Length));
        }
    }

    /// <inheritdoc />
    public ValueTask<DateTimeOffset?> GetNextWakeTimeAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var times = _executions.Values.Select(e => e.Execution)
                .Where(e => e.Status is ExecutionStatus.Pending or ExecutionStatus.Running)
                .Select(e => e.LeaseExpiresAt ?? e.NextRunAt ?? DateTimeOffset.MinValue)
                .ToArray();
            return ValueTask.FromResult<DateTimeOffset?>(times.Length == 0 ? null : times.Min());
        }
    }

    /// <inheritdoc />
    public ValueTask<WorkflowStoreStatus> GetStatusAsync(WorkflowStoreStatusRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_lock)
        {
            var due = _executions.Values.Select(e => e.Execution)
                .Where(e => e.Status is ExecutionStatus.Pending or ExecutionStatus.Running)
                .Select(DueAt)
                .Where(at => at <= request.Now)
                .ToArray();
            return ValueTask.FromResult(new WorkflowStoreStatus(
                SchemaCurrent: true,
                DueCount: due.Length,
                OldestDueAt: due.Length == 0 ? null : due.Min(),
                StuckCount: due.Count(at => at < request.StuckBefore)));
        }
    }

    private static DateTimeOffset DueAt(ExecutionRecord e)
        => (e.LeaseExpiresAt, e.NextRunAt) switch
        {
            ({ } lease, { } next) => lease > next ? lease : next,
            ({ } lease, null) => lease,
            (null, { } next) => next,
            _ => e.UpdatedAt,
        };

    private sealed class Entry(ExecutionRecord execution)
    {
        private static long _sequence;

        public ExecutionRecord Execution { get; set; } = execution;

        public long Sequence { get; } = Interlocked.Increment(ref _sequence);

        public SortedDictionary<int, StepRecord> Steps { get; } = [];

        public SortedDictionary<(int Step, int Run, int Number), AttemptRecord> Attempts { get; } = [];

        public List<AuditRecord> Audit { get; } = [];
    }
}
