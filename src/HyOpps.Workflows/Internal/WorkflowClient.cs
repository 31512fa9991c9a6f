using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HyOpps.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyOpps.Workflows.Internal;

internal sealed partial class WorkflowClient(
    [FromKeyedServices(StoreDecoration.RuntimeStoreKey)] IWorkflowStore store,
    WorkflowRegistry registry,
    ExecutionSignals signals,
    WorkflowWorker worker,
    IOptions<HyOppsOptions> options,
    TimeProvider time,
    ILogger<WorkflowClient> logger) : IWorkflowClient
{
    private static readonly TimeSpan StartLease = TimeSpan.FromSeconds(5);

    private const int MaxConcurrentChangeRetries = 20;
    private readonly HyOppsOptions _options = options.Value;

    public IReadOnlyList<WorkflowDefinition> Workflows => registry.All;

    public Task<ExecutionStarted> StartAsync<TInput>(string workflowName, TInput input, StartExecutionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var node = input switch
        {
            JsonNode n => n.DeepClone(),
            JsonElement e => JsonNode.Parse(e.GetRawText()),
            _ => JsonSerializer.SerializeToNode(input, input.GetType(), HyOppsJson.SerializerOptions),
        };
        return StartNodeAsync(workflowName, node, nameof(input), options, cancellationToken);
    }

    public Task<ExecutionStarted> StartJsonAsync(string workflowName, string inputJson, StartExecutionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputJson);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(inputJson);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"The input is not valid JSON: {ex.Message}", nameof(inputJson), ex);
        }

        return StartNodeAsync(workflowName, node, nameof(inputJson), options, cancellationToken);
    }

    private async Task<ExecutionStarted> StartNodeAsync(string workflowName, JsonNode? node, string parameter, StartExecutionOptions? options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workflowName);
        options ??= new StartExecutionOptions();
        var definition = registry.Get(workflowName, options.Version);
        if (node is not JsonObject obj)
        {
            throw new ArgumentException("The input must be a JSON object.", parameter);
        }

        SecretScrubber.Scrub(obj, _options.SecretPropertyNames);
        var json = obj.ToJsonString();
        var size = Encoding.UTF8.GetByteCount(json);
        if (size > _options.MaxInputBytes)
        {
            throw new ArgumentException($"The input is {size} bytes, over the limit of {_options.MaxInputBytes} bytes (HyOppsOptions.MaxInputBytes).", parameter);
        }

        if (options.IdempotencyKey is { Length: > 400 })
        {
            throw new ArgumentException("The idempotency key is longer than 400 characters.", nameof(options));
        }

        var now = time.GetUtcNow();
        var id = NewId(now);
        var execution = new ExecutionRecord
        {
            Id = id,
            WorkflowName = definition.Name,
            WorkflowVersion = definition.Version,
            Status = ExecutionStatus.Pending,
            Input = json,
            IdempotencyKey = options.IdempotencyKey,
            Labels = options.Labels is null ? new Dictionary<string, string>() : new Dictionary<string, string>(options.Labels, StringComparer.Ordinal),
            CreatedAt = now,
            UpdatedAt = now,
        };
        var steps = definition.Steps.Select(s => new StepRecord { ExecutionId = id, Index = s.Index, StepId = s.Id }).ToArray();
        var audit = new[] { new AuditRecord { ExecutionId = id, At = now, Actor = options.Actor, Action = "start", Detail = $"{definition.Name} v{definition.Version}" } };

        // With a free slot in this process's worker, the execution is created already leased to it and runs at once:
        // no claim to commit, no wake-up to wait for. The runner's first commit, moments later, takes the full lease;
        // until then the lease is short, so that should this process die first any worker claims the execution soon.
        // A runner later than that loses its first commit to the fencing token and stops: the step never runs twice.
        var reserved = worker.TryReserveSlot();
        if (reserved)
        {
            var lease = _options.LeaseDuration < StartLease ? _options.LeaseDuration : StartLease;
            execution = execution with { LeaseOwner = _options.WorkerId, LeaseExpiresAt = now + lease };
        }

        CreateExecutionResult result;
        try
        {
            result = await store.CreateExecutionAsync(execution, steps, audit, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            if (reserved)
            {
                worker.ReleaseSlot();
            }

            throw;
        }

        if (!result.Created)
        {
            if (reserved)
            {
                worker.ReleaseSlot();
            }

            return new ExecutionStarted(result.Execution.Id, Created: false);
        }

        HyOppsTelemetry.ExecutionsStarted.Add(1, new KeyValuePair<string, object?>("workflow", definition.Name));
        LogStarted(logger, result.Execution.Id, definition.Name, definition.Version);
        if (reserved)
        {
            worker.Dispatch(new ClaimedExecution(result.Execution, steps, []));
        }
        else
        {
            signals.NotifyWork();
        }

        return new ExecutionStarted(result.Execution.Id, Created: true);
    }

    public async Task<ExecutionDetail?> GetAsync(string executionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(executionId);
        var snapshot = await store.GetExecutionAsync(executionId, cancellationToken).ConfigureAwait(false);
        return snapshot is null ? null : ToDetail(snapshot);
    }

    public async Task<ExecutionList> ListAsync(ExecutionQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit is < 1 or > 500)
        {
            throw new ArgumentException($"ExecutionQuery.Limit must be between 1 and 500 (was {query.Limit}).", nameof(query));
        }

        if (query.Offset < 0)
        {
            throw new ArgumentException($"ExecutionQuery.Offset must not be negative (was {query.Offset}).", nameof(query));
        }

        var page = await store.ListExecutionsAsync(query, cancellationToken).ConfigureAwait(false);
        return new ExecutionList(page.Items.Select(e => ExecutionMapper.ToSummary(e, registry.Find(e.WorkflowName, e.WorkflowVersion))).ToArray(), page.Total);
    }

    public async Task<ExecutionDetail> WaitForCompletionAsync(string executionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(executionId);
        using var polls = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            var signalled = false;
            while (true)
            {
                // Subscribe before reading so a change between the read and the wait is not missed. Only the row is
                // read until it is settled: the full detail (steps, attempts, audit) once, at the end. A signal from
                // this process's runner almost always means settled, so the detail is read straight away.
                var changed = signals.WaitForChangeAsync(executionId);
                var settled = signalled;
                if (!settled)
                {
                    var row = await store.GetExecutionRecordAsync(executionId, cancellationToken).ConfigureAwait(false)
                        ?? throw new ExecutionNotFoundException(executionId);
                    settled = row.Status is not (ExecutionStatus.Pending or ExecutionStatus.Running);
                }

                signalled = false;
                if (settled)
                {
                    var detail = await GetAsync(executionId, cancellationToken).ConfigureAwait(false) ?? throw new ExecutionNotFoundException(executionId);
                    if (detail.IsSettled)
                    {
                        return detail;
                    }

                    continue;
                }

                while (!changed.IsCompleted)
                {
                    if (signals.WatcherRunning)
                    {
                        // The watcher polls for every waiter at once and signals this one when its execution settles.
                        await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
                        signalled = true;
                        break;
                    }

                    await Task.WhenAny(changed, Task.Delay(_options.PollInterval, time, polls.Token)).ConfigureAwait(false);
                    cancellationToken.ThrowIfCancellationRequested();
                    signalled = changed.IsCompleted;

                    // While a runner of this process holds the execution, it signals the change that settles it (or its
                    // own end), so reading the store would be wasted; otherwise another process may settle it: poll.
                    if (!signals.IsRunningHere(executionId))
                    {
                        break;
                    }
                }
            }
        }
        finally
        {
            await polls.CancelAsync().ConfigureAwait(false);
        }
    }

    public Task<ExecutionDetail> RetryAsync(string executionId, OperatorAction action, CancellationToken cancellationToken = default)
        => ChangeAsync(executionId, action, "retry", null, (snapshot, now) =>
        {
            var e = snapshot.Execution;
            if (e.Status != ExecutionStatus.Failed)
            {
                throw new ExecutionStateException($"Execution '{e.Id}' is {e.Status}; only a failed execution can be retried.");
            }

            var step = snapshot.Steps.Single(s => s.Index == e.CurrentStepIndex);

            // A retry keeps the step's checkpoint, so work it recorded as done (an email accepted, an invitation sent) is not repeated.
            var retried = Reset(step) with { Checkpoint = step.Checkpoint, InputOverride = step.InputOverride };
            return new ExecutionCommit
            {
                Execution = Requeued(e, now),
                Steps = [retried],
            };
        }, cancellationToken);

    public Task<ExecutionDetail> RerunFromAsync(string executionId, string stepId, OperatorAction action, JsonElement? inputOverride = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(stepId);
        string? overrideJson = null;
        if (inputOverride is { } value)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException("The input override must be a JSON object.", nameof(inputOverride));
            }

            var node = JsonNode.Parse(value.GetRawText());
            SecretScrubber.Scrub(node, _options.SecretPropertyNames);
            overrideJson = node!.ToJsonString();
        }

        return ChangeAsync(executionId, action, "rerun_from", stepId, (snapshot, now) =>
        {
            var e = snapshot.Execution;
            if (e.Status is ExecutionStatus.Pending or ExecutionStatus.Running)
            {
                throw new ExecutionStateException($"Execution '{e.Id}' is {e.Status}; cancel it or wait for it to finish before re-running from a step.");
            }

            var from = snapshot.Steps.FirstOrDefault(s => s.StepId == stepId)
                ?? throw new ExecutionStateException($"Execution '{e.Id}' has no step '{stepId}'.");
            var steps = snapshot.Steps.Where(s => s.Index >= from.Index)
                .Select(s => Reset(s) with { InputOverride = s.Index == from.Index ? overrideJson : null })
                .ToArray();
            return new ExecutionCommit
            {
                Execution = Requeued(e, now) with { CurrentStepIndex = from.Index },
                Steps = steps,
            };
        }, cancellationToken);
    }

    public async Task<ExecutionDetail> CancelAsync(string executionId, OperatorAction action, CancellationToken cancellationToken = default)
    {
        var detail = await ChangeAsync(executionId, action, "cancel", null, (snapshot, now) =>
        {
            var e = snapshot.Execution;
            if (e.Status is ExecutionStatus.Succeeded or ExecutionStatus.Failed or ExecutionStatus.Cancelled)
            {
                throw new ExecutionStateException($"Execution '{e.Id}' is {e.Status} already.");
            }

            var steps = snapshot.Steps
                .Where(s => s.Status is StepStatus.Running or StepStatus.WaitingForApproval or StepStatus.Pending && s.Index == e.CurrentStepIndex)
                .Select(s => s with { Status = StepStatus.Cancelled, CompletedAt = now })
                .ToArray();
            var attempts = snapshot.Attempts.Where(a => a.Outcome == AttemptOutcome.Running)
                .Select(a => a with { Outcome = AttemptOutcome.Cancelled, EndedAt = now, Error = "Cancelled by an operator." })
                .ToArray();
            return new ExecutionCommit
            {
                Execution = e with
                {
                    Status = ExecutionStatus.Cancelled,
                    CompletedAt = now,
                    UpdatedAt = now,
                    LeaseOwner = null,
                    LeaseExpiresAt = null,
                    NextRunAt = null,
                    WaitingReason = null,
                },
                RevokeLease = true,
                Steps = steps,
                Attempts = attempts,
            };
        }, cancellationToken).ConfigureAwait(false);
        signals.RequestCancel(executionId);
        return detail;
    }

    public Task<ExecutionDetail> ApproveAsync(string executionId, OperatorAction action, CancellationToken cancellationToken = default)
        => ChangeAsync(executionId, action, "approve", null, (snapshot, now) =>
        {
            var (e, step) = WaitingStep(snapshot);
            var output = step.Output is { } existing ? JsonNode.Parse(existing)!.AsObject() : [];
            output["approved_by"] = action.Actor;
            output["approved_at"] = now;
            if (action.Reason is not null)
            {
                output["approval_comment"] = action.Reason;
            }

            var last = e.CurrentStepIndex + 1 >= snapshot.Steps.Count;
            return new ExecutionCommit
            {
                Execution = (last
                    ? e with { Status = ExecutionStatus.Succeeded, CompletedAt = now }
                    : e with { Status = ExecutionStatus.Pending }) with
                {
                    CurrentStepIndex = e.CurrentStepIndex + 1,
                    UpdatedAt = now,
                    WaitingReason = null,
                    NextRunAt = null,
                },
                Steps = [step with { Status = StepStatus.Succeeded, Output = output.ToJsonString(), CompletedAt = now }],
            };
        }, cancellationToken);

    public Task<ExecutionDetail> RejectAsync(string executionId, OperatorAction action, CancellationToken cancellationToken = default)
        => ChangeAsync(executionId, action, "reject", null, (snapshot, now) =>
        {
            var (e, step) = WaitingStep(snapshot);
            var message = $"Step '{step.StepId}' was rejected by {action.Actor}" + (action.Reason is null ? "." : $": {action.Reason}");
            return new ExecutionCommit
            {
                Execution = e with
                {
                    Status = ExecutionStatus.Failed,
                    CompletedAt = now,
                    UpdatedAt = now,
                    Error = message,
                    ErrorType = StepErrorTypes.Rejected,
                    WaitingReason = null,
                },
                Steps = [step with { Status = StepStatus.Failed, Error = message, ErrorType = StepErrorTypes.Rejected, CompletedAt = now }],
            };
        }, cancellationToken);

    private static (ExecutionRecord Execution, StepRecord Step) WaitingStep(ExecutionSnapshot snapshot)
    {
        var e = snapshot.Execution;
        var step = snapshot.Steps.FirstOrDefault(s => s.Index == e.CurrentStepIndex);
        if (e.Status != ExecutionStatus.WaitingForApproval || step is null || step.Status != StepStatus.WaitingForApproval)
        {
            throw new ExecutionStateException($"Execution '{e.Id}' is {e.Status}; no step is waiting for approval.");
        }

        return (e, step);
    }

    private async Task<ExecutionDetail> ChangeAsync(
        string executionId,
        OperatorAction action,
        string name,
        string? detail,
        Func<ExecutionSnapshot, DateTimeOffset, ExecutionCommit> decide,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(executionId);
        ArgumentNullException.ThrowIfNull(action);
        ArgumentException.ThrowIfNullOrWhiteSpace(action.Actor, nameof(action));
        for (var i = 0; i < MaxConcurrentChangeRetries; i++)
        {
            var snapshot = await store.GetExecutionAsync(executionId, cancellationToken).ConfigureAwait(false)
                ?? throw new ExecutionNotFoundException(executionId);
            var now = time.GetUtcNow();
            var commit = decide(snapshot, now) with
            {
                ExpectedVersion = snapshot.Execution.Version,
                Audit = [new AuditRecord { ExecutionId = executionId, At = now, Actor = action.Actor, Action = name, Reason = action.Reason, Detail = detail }],
            };
            if (await store.CommitAsync(commit, cancellationToken).ConfigureAwait(false))
            {
                LogOperatorAction(logger, executionId, name, action.Actor);
                signals.NotifyChanged(executionId);
                signals.NotifyWork();
                return await GetAsync(executionId, cancellationToken).ConfigureAwait(false) ?? throw new ExecutionNotFoundException(executionId);
            }
        }

        throw new ExecutionStateException($"Execution '{executionId}' kept changing while the {name} was applied; try again.");
    }

    private ExecutionDetail ToDetail(ExecutionSnapshot snapshot)
        => ExecutionMapper.ToDetail(snapshot, registry.Find(snapshot.Execution.WorkflowName, snapshot.Execution.WorkflowVersion), time.GetUtcNow());

    private static StepRecord Reset(StepRecord step) => step with
    {
        Status = StepStatus.Pending,
        Run = step.Run + 1,
        Attempts = 0,
        Output = null,
        Checkpoint = null,
        Error = null,
        ErrorType = null,
        FirstAttemptAt = null,
        StartedAt = null,
        CompletedAt = null,
    };

    private static ExecutionRecord Requeued(ExecutionRecord e, DateTimeOffset now) => e with
    {
        Status = ExecutionStatus.Pending,
        UpdatedAt = now,
        CompletedAt = null,
        NextRunAt = null,
        Error = null,
        ErrorType = null,
        WaitingReason = null,
        LeaseOwner = null,
        LeaseExpiresAt = null,
    };

    private static string NewId(DateTimeOffset now)
    {
        // Time-ordered ids keep the newest-first index and B-tree inserts cheap.
        return Guid.CreateVersion7(now).ToString("N");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Execution {ExecutionId} of {WorkflowName} v{Version} started.")]
    private static partial void LogStarted(ILogger logger, string executionId, string workflowName, int version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Execution {ExecutionId}: {Action} by {Actor}.")]
    private static partial void LogOperatorAction(ILogger logger, string executionId, string action, string actor);
}
