using HyOpps.Workflows.Storage;

namespace HyOpps.Workflows.Internal.Machine;

/// <summary>
/// Every change of an execution's state, as pure functions from (its records, an event, now) to the transition to commit.
/// The runner and the operator API both go through here; neither writes a state of its own.
/// </summary>
/// <remarks>The states x events table is in the runtime's README.</remarks>
internal static partial class ExecutionMachine
{
    public const string AbandonedByStop = "The worker stopped before this attempt ended.";

    /// <summary>The waiting reason of an execution scheduled for later, until it first runs.</summary>
    public const string ScheduledReason = "Scheduled start.";

    /// <summary>The event <em>start</em>: the new execution's row, its pending steps and the audit entry.</summary>
    public static (ExecutionRecord Execution, StepRecord[] Steps, AuditRecord Audit) Start(
        string id, WorkflowDefinition definition, string inputJson, StartExecutionOptions options, string? traceParent, DateTimeOffset now)
    {
        var execution = new ExecutionRecord
        {
            Id = id,
            WorkflowName = definition.Name,
            WorkflowVersion = definition.Version,
            Status = ExecutionStatus.Pending,
            Input = inputJson,
            IdempotencyKey = options.IdempotencyKey,
            Labels = options.Labels is null ? new Dictionary<string, string>() : new Dictionary<string, string>(options.Labels, StringComparer.Ordinal),
            CreatedAt = now,
            UpdatedAt = now,
            TraceParent = traceParent,
        };
        if (options.NotBefore is { } notBefore && notBefore > now)
        {
            execution = execution with { NextRunAt = notBefore, WaitingReason = ScheduledReason };
        }

        var steps = definition.Steps.Select(s => new StepRecord { ExecutionId = id, Index = s.Index, StepId = s.Id }).ToArray();
        var scheduled = execution.NextRunAt is { } at ? $", scheduled for {at.ToString("u", System.Globalization.CultureInfo.InvariantCulture)}" : string.Empty;
        var audit = new AuditRecord { ExecutionId = id, At = now, Actor = options.Actor, Action = "start", Detail = $"{definition.Name} v{definition.Version}{scheduled}" };
        return (execution, steps, audit);
    }

    /// <summary>
    /// Moves past the current step, which has just succeeded or been skipped: to the next step, or to success after the last.
    /// </summary>
    private static Transition Advance(ExecutionView view, IReadOnlyList<StepRecord> steps, IReadOnlyList<AttemptRecord> attempts, DateTimeOffset now)
    {
        var e = view.Execution;
        var next = e.CurrentStepIndex + 1;
        if (next >= view.Steps.Count)
        {
            return new Transition(Released(e) with
            {
                Status = ExecutionStatus.Succeeded,
                CurrentStepIndex = next,
                CompletedAt = now,
                UpdatedAt = now,
                NextRunAt = null,
                WaitingReason = null,
                Error = null,
                ErrorType = null,
            }, steps, attempts);
        }

        // A runner holding the lease goes on with the next step; an approved step leaves the execution to be claimed.
        return new Transition(e with
        {
            Status = e.Status == ExecutionStatus.WaitingForApproval ? ExecutionStatus.Pending : e.Status,
            CurrentStepIndex = next,
            UpdatedAt = now,
            NextRunAt = null,
            WaitingReason = null,
        }, steps, attempts);
    }

    private static Transition Fail(ExecutionView view, int? index, string errorType, string message, IReadOnlyList<AttemptRecord> attempts, DateTimeOffset now)
    {
        StepRecord[] steps = index is { } i
            ? [view.Steps[i] with { Status = StepStatus.Failed, Error = message, ErrorType = errorType }]
            : [];
        return new Transition(Released(view.Execution) with
        {
            Status = ExecutionStatus.Failed,
            UpdatedAt = now,
            CompletedAt = now,
            NextRunAt = null,
            Error = message,
            ErrorType = errorType,
            WaitingReason = null,
        }, steps, attempts);
    }

    private static bool IsSettled(ExecutionStatus status) => status is ExecutionStatus.Succeeded or ExecutionStatus.Failed or ExecutionStatus.Cancelled;

    private static ExecutionRecord Released(ExecutionRecord execution) => execution with { LeaseOwner = null, LeaseExpiresAt = null };
}
