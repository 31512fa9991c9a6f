using System.Text.Json.Nodes;
using HyOpps.Workflows.Storage;

namespace HyOpps.Workflows.Internal.Machine;

/// <summary>The events a worker reports while it holds an execution's lease.</summary>
internal static partial class ExecutionMachine
{
    /// <summary>
    /// The event <em>step abandoned</em>, on a claim: attempts a stopped or dead worker left running are recorded as abandoned.
    /// They do not use the step's retry budget; a step abandoned <paramref name="maxAbandoned"/> times fails the execution.
    /// </summary>
    public static Transition Resume(ExecutionView view, IReadOnlyList<AttemptRecord> leftRunning, int maxAbandoned, DateTimeOffset now)
    {
        var attempts = leftRunning.Select(a => a with { Outcome = AttemptOutcome.Abandoned, EndedAt = now, Error = AbandonedByStop, ErrorType = StepErrorTypes.Transient }).ToArray();
        var steps = view.Steps.ToDictionary(s => s.Index);
        foreach (var attempt in attempts.Where(a => steps.TryGetValue(a.StepIndex, out var s) && s.Run == a.Run))
        {
            var step = steps[attempt.StepIndex];
            steps[attempt.StepIndex] = step with
            {
                AbandonedAttempts = step.AbandonedAttempts + 1,
                Status = step.Status == StepStatus.Running ? StepStatus.Pending : step.Status,
            };
        }

        var changed = steps.Values.Where(s => !view.Steps[s.Index].Equals(s)).OrderBy(s => s.Index).ToArray();
        var resumed = new Transition(view.Execution, changed, attempts);
        var after = view.Apply(resumed);
        if (after.Index < after.Steps.Count && after.Current.AbandonedAttempts >= maxAbandoned)
        {
            var step = after.Current;
            var message = $"Step '{step.StepId}' was abandoned {step.AbandonedAttempts} times: the worker kept stopping during this step " +
                "(the process crashed, was killed or shut down while the step ran). Find out why, then retry the step.";
            return resumed.Then(Fail(after, after.Index, StepErrorTypes.Transient, message, [], now));
        }

        return resumed;
    }

    /// <summary>The event <em>succeeded</em> for an execution whose steps are all done (a claim after the last step's commit).</summary>
    public static Transition Complete(ExecutionView view, DateTimeOffset now)
        => Advance(view with { Execution = view.Execution with { CurrentStepIndex = view.Steps.Count - 1 } }, [], [], now);

    /// <summary>The event <em>skipped</em> before any attempt: the step's condition is false.</summary>
    public static Transition SkipByCondition(ExecutionView view, string reason, DateTimeOffset now)
    {
        var output = new JsonObject { ["skipped"] = true, ["reason"] = reason }.ToJsonString();
        var step = view.Current with { Status = StepStatus.Skipped, Output = output, CompletedAt = now, Error = null, ErrorType = null };
        return Advance(view, [step], [], now);
    }

    /// <summary>The event <em>wait for approval</em> of a manual step, which no attempt runs.</summary>
    public static Transition WaitForApproval(ExecutionView view, string prompt, DateTimeOffset now)
    {
        var step = view.Current with { Status = StepStatus.WaitingForApproval, StartedAt = now };
        return new Transition(Released(view.Execution) with { Status = ExecutionStatus.WaitingForApproval, UpdatedAt = now, NextRunAt = null, WaitingReason = prompt }, [step], []);
    }

    /// <summary>
    /// The event <em>attempt started</em>: the step runs, the lease lasts until <paramref name="leaseExpiresAt"/>. A step whose
    /// failed attempts already fill its policy fails instead (a definition whose policy shrank between versions). The attempt
    /// records <paramref name="inputJson"/> from the start, so one cut short by a crash still shows what it was given.
    /// </summary>
    public static Transition StartAttempt(ExecutionView view, RetryPolicy policy, string workerId, DateTimeOffset leaseExpiresAt, DateTimeOffset now, string? inputJson = null)
    {
        var step = view.Current;
        var failed = step.Attempts - step.AbandonedAttempts;
        if (failed >= policy.MaxAttempts)
        {
            return Fail(view, view.Index, step.ErrorType ?? StepErrorTypes.Transient,
                $"Step '{step.StepId}' failed {failed} times, the most its retry policy allows ({policy.MaxAttempts}): {step.Error}", [], now);
        }

        var number = step.Attempts + 1;
        var running = step with { Status = StepStatus.Running, Attempts = number, StartedAt = now, FirstAttemptAt = step.FirstAttemptAt ?? now };
        var attempt = new AttemptRecord
        {
            ExecutionId = step.ExecutionId,
            StepIndex = step.Index,
            StepId = step.StepId,
            Run = step.Run,
            Number = number,
            WorkerId = workerId,
            StartedAt = now,
            Outcome = AttemptOutcome.Running,
            Input = inputJson,
        };
        return new Transition(view.Execution with
        {
            Status = ExecutionStatus.Running,
            UpdatedAt = now,
            NextRunAt = null,
            WaitingReason = null,
            LeaseOwner = workerId,
            LeaseExpiresAt = leaseExpiresAt,
        }, [running], [attempt]);
    }

    /// <summary>The events <em>succeeded</em>, <em>skipped</em> and <em>wait for approval</em> reported by the running attempt.</summary>
    public static Transition AttemptCompleted(ExecutionView view, AttemptRecord attempt, StepOutcome outcome, string? outputJson, string? reason, DateTimeOffset now)
    {
        var (status, attemptOutcome) = outcome switch
        {
            StepOutcome.Skipped => (StepStatus.Skipped, AttemptOutcome.Skipped),
            StepOutcome.WaitingForApproval => (StepStatus.WaitingForApproval, AttemptOutcome.WaitingForApproval),
            _ => (StepStatus.Succeeded, AttemptOutcome.Succeeded),
        };
        var waiting = status == StepStatus.WaitingForApproval;
        var step = view.Current with { Status = status, Output = outputJson, CompletedAt = waiting ? null : now, Error = null, ErrorType = null };
        AttemptRecord[] ended = [attempt with { Outcome = attemptOutcome, EndedAt = now, Output = outputJson }];
        if (waiting)
        {
            return new Transition(Released(view.Execution) with { Status = ExecutionStatus.WaitingForApproval, UpdatedAt = now, WaitingReason = reason }, [step], ended);
        }

        return Advance(view, [step], ended, now);
    }

    /// <summary>
    /// The events <em>failed (transient)</em>, <em>failed (permanent)</em> and <em>timeout</em>: a retryable failure within the
    /// policy's attempts and total duration waits for its backoff; any other fails the execution.
    /// </summary>
    public static Transition AttemptFailed(ExecutionView view, AttemptRecord attempt, StepFailure failure, RetryPolicy policy, DateTimeOffset now)
    {
        var step = view.Current;
        AttemptRecord[] ended = [attempt with { Outcome = AttemptOutcome.Failed, EndedAt = now, Error = failure.Message, ErrorType = failure.ErrorType }];
        var failed = step.Attempts - step.AbandonedAttempts;
        var withinBudget = now + failure.Delay - (step.FirstAttemptAt ?? now) <= policy.MaxTotalDuration;
        if (failure.IsRetryable && failed < policy.MaxAttempts && withinBudget)
        {
            var pending = step with { Status = StepStatus.Pending, Error = failure.Message, ErrorType = failure.ErrorType };
            return new Transition(Released(view.Execution) with
            {
                Status = ExecutionStatus.Pending,
                UpdatedAt = now,
                NextRunAt = now + failure.Delay,
                WaitingReason = $"Attempt {attempt.Number} of step '{step.StepId}' failed: {failure.Message}",
            }, [pending], ended);
        }

        var why = !failure.IsRetryable ? string.Empty
            : failed >= policy.MaxAttempts ? $" (after {failed} attempts)"
            : $" (retry budget of {policy.MaxTotalDuration} used up after {failed} attempts)";
        return Fail(view, view.Index, failure.ErrorType, $"Step '{step.StepId}' failed{why}: {failure.Message}", ended, now);
    }

    /// <summary>The event <em>step abandoned</em> by a worker that is shutting down: the step waits for the next claim.</summary>
    public static Transition AttemptAbandoned(ExecutionView view, AttemptRecord attempt, DateTimeOffset now)
    {
        var step = view.Current with { Status = StepStatus.Pending, AbandonedAttempts = view.Current.AbandonedAttempts + 1 };
        return new Transition(Released(view.Execution) with { Status = ExecutionStatus.Pending, UpdatedAt = now },
            [step], [attempt with { Outcome = AttemptOutcome.Abandoned, EndedAt = now, Error = "The host stopped during this attempt.", ErrorType = StepErrorTypes.Transient }]);
    }

    /// <summary>
    /// The event <em>hand back</em>: a worker that is stopping between steps gives the execution up, what it finished
    /// committed, so that another worker claims it at once instead of when the lease expires.
    /// </summary>
    public static Transition HandBack(ExecutionView view, DateTimeOffset now)
        => new(Released(view.Execution) with { Status = ExecutionStatus.Pending, UpdatedAt = now, NextRunAt = null }, [], []);

    /// <summary>The execution cannot run here: its workflow version is not registered on this host.</summary>
    public static Transition NotRunnable(ExecutionView view, string message, DateTimeOffset now)
        => Fail(view, null, StepErrorTypes.NotConfigured, message, [], now);

    /// <summary>The step's condition threw: the execution fails, naming the step.</summary>
    public static Transition ConditionFailed(ExecutionView view, string error, DateTimeOffset now)
        => Fail(view, view.Index, StepErrorTypes.Permanent, $"Step '{view.Current.StepId}' condition failed: {error}", [], now);
}
