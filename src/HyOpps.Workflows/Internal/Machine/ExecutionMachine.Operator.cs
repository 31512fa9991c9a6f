using System.Text.Json.Nodes;
using HyOpps.Workflows.Storage;

namespace HyOpps.Workflows.Internal.Machine;

/// <summary>The events an operator causes; each throws <see cref="ExecutionStateException"/> where the state does not allow it.</summary>
internal static partial class ExecutionMachine
{
    /// <summary>The event <em>retry</em> of a failed execution's failed step; the step keeps its checkpoint.</summary>
    public static Transition Retry(ExecutionView view, DateTimeOffset now)
    {
        var e = view.Execution;
        if (e.Status != ExecutionStatus.Failed)
        {
            throw new ExecutionStateException($"Execution '{e.Id}' is {e.Status}; only a failed execution can be retried.");
        }

        if (view.Index >= view.Steps.Count)
        {
            throw new ExecutionStateException($"Execution '{e.Id}' failed after its last step; re-run it from a step instead.");
        }

        // The checkpoint stays, so work the step recorded as done (an email accepted, an invitation sent) is not repeated.
        var step = view.Current;
        return new Transition(Requeued(e, now), [Reset(step) with { Checkpoint = step.Checkpoint, InputOverride = step.InputOverride }], []);
    }

    /// <summary>The event <em>re-run from step N</em>: that step and every later one start a new run; their history stays.</summary>
    public static Transition RerunFrom(ExecutionView view, string stepId, string? inputOverrideJson, DateTimeOffset now)
    {
        var e = view.Execution;
        if (!IsSettled(e.Status) && e.Status != ExecutionStatus.WaitingForApproval)
        {
            throw new ExecutionStateException($"Execution '{e.Id}' is {e.Status}; cancel it or wait for it to finish before re-running from a step.");
        }

        var from = view.Steps.FirstOrDefault(s => s.StepId == stepId)
            ?? throw new ExecutionStateException($"Execution '{e.Id}' has no step '{stepId}'.");
        var steps = view.Steps.Where(s => s.Index >= from.Index)
            .Select(s => Reset(s) with { InputOverride = s.Index == from.Index ? inputOverrideJson : null })
            .ToArray();
        return new Transition(Requeued(e, now) with { CurrentStepIndex = from.Index }, steps, []);
    }

    /// <summary>The event <em>cancel</em>: the execution stops for good, any lease is revoked and a running attempt is marked cancelled.</summary>
    public static Transition Cancel(ExecutionView view, IReadOnlyList<AttemptRecord> attempts, DateTimeOffset now)
    {
        var e = view.Execution;
        if (IsSettled(e.Status))
        {
            throw new ExecutionStateException($"Execution '{e.Id}' is {e.Status} already.");
        }

        var steps = view.Steps
            .Where(s => s.Status is StepStatus.Running or StepStatus.WaitingForApproval || (s.Status == StepStatus.Pending && s.Index == e.CurrentStepIndex))
            .Select(s => s with { Status = StepStatus.Cancelled, CompletedAt = now })
            .ToArray();
        var cancelled = attempts.Where(a => a.Outcome == AttemptOutcome.Running)
            .Select(a => a with { Outcome = AttemptOutcome.Cancelled, EndedAt = now, Error = "Cancelled by an operator." })
            .ToArray();
        return new Transition(Released(e) with
        {
            Status = ExecutionStatus.Cancelled,
            CompletedAt = now,
            UpdatedAt = now,
            NextRunAt = null,
            WaitingReason = null,
        }, steps, cancelled) { RevokeLease = true };
    }

    /// <summary>The event <em>start now</em> of an execution scheduled for later: it becomes due at once.</summary>
    public static Transition StartNow(ExecutionView view, DateTimeOffset now)
    {
        var e = view.Execution;
        if (e.Status != ExecutionStatus.Pending || e.WaitingReason != ScheduledReason || e.NextRunAt is not { } next || next <= now)
        {
            throw new ExecutionStateException($"Execution '{e.Id}' is {e.Status} and not scheduled for later; only a scheduled execution can be started now.");
        }

        return new Transition(e with { UpdatedAt = now, NextRunAt = null, WaitingReason = null }, [], []);
    }

    /// <summary>The event <em>approve</em> of the step waiting for approval: it succeeds and the execution moves on, or succeeds after the last step.</summary>
    public static Transition Approve(ExecutionView view, string actor, string? comment, DateTimeOffset now)
    {
        var step = WaitingStep(view);
        var output = step.Output is { } existing ? JsonNode.Parse(existing)!.AsObject() : [];
        output["approved_by"] = actor;
        output["approved_at"] = now;
        if (comment is not null)
        {
            output["approval_comment"] = comment;
        }

        return Advance(view, [step with { Status = StepStatus.Succeeded, Output = output.ToJsonString(), CompletedAt = now }], [], now);
    }

    /// <summary>The event <em>reject</em> of the step waiting for approval: the execution fails, naming who rejected it and why.</summary>
    public static Transition Reject(ExecutionView view, string actor, string? reason, DateTimeOffset now)
    {
        var step = WaitingStep(view);
        var message = $"Step '{step.StepId}' was rejected by {actor}" + (reason is null ? "." : $": {reason}");
        var failed = Fail(view, view.Index, StepErrorTypes.Rejected, message, [], now);
        return failed with { Steps = [failed.Steps[0] with { CompletedAt = now }] };
    }

    private static StepRecord WaitingStep(ExecutionView view)
    {
        var e = view.Execution;
        if (e.Status != ExecutionStatus.WaitingForApproval || view.Index >= view.Steps.Count || view.Current.Status != StepStatus.WaitingForApproval)
        {
            throw new ExecutionStateException($"Execution '{e.Id}' is {e.Status}; no step is waiting for approval.");
        }

        return view.Current;
    }

    private static StepRecord Reset(StepRecord step) => step with
    {
        Status = StepStatus.Pending,
        Run = step.Run + 1,
        Attempts = 0,
        AbandonedAttempts = 0,
        Output = null,
        Checkpoint = null,
        Error = null,
        ErrorType = null,
        FirstAttemptAt = null,
        StartedAt = null,
        CompletedAt = null,
    };

    private static ExecutionRecord Requeued(ExecutionRecord e, DateTimeOffset now) => Released(e) with
    {
        Status = ExecutionStatus.Pending,
        UpdatedAt = now,
        CompletedAt = null,
        NextRunAt = null,
        Error = null,
        ErrorType = null,
        WaitingReason = null,
    };
}
