using System.Diagnostics;
using System.Diagnostics.Metrics;
using HyOpps.Workflows.Internal.Machine;

namespace HyOpps.Workflows.Internal;

/// <summary>The runtime's spans and metrics. Transitions are counted here, from what was committed, whichever path committed them.</summary>
internal static class RuntimeTelemetry
{
    public static readonly ActivitySource ActivitySource = new(HyOppsTelemetry.ActivitySourceName);

    public static readonly Meter Meter = new(HyOppsTelemetry.MeterName);

    private static readonly Counter<long> ExecutionsStarted = Meter.CreateCounter<long>("hyopps.executions.started", description: "Executions created.");

    private static readonly Counter<long> ExecutionsCompleted = Meter.CreateCounter<long>("hyopps.executions.completed", description: "Executions that reached a final status, by outcome: succeeded, failed, rejected or cancelled.");

    private static readonly Counter<long> StepAttempts = Meter.CreateCounter<long>("hyopps.step.attempts", description: "Step attempts that ended, by outcome.");

    private static readonly Histogram<double> StepDuration = Meter.CreateHistogram<double>("hyopps.step.duration", unit: "ms", description: "Duration of step attempts that ended.");

    private static readonly Counter<long> LeaseLosses = Meter.CreateCounter<long>("hyopps.lease.losses", description: "Times a worker found that it no longer held an execution's lease.");

    private static BacklogSample _backlog = new(0, 0, 0);

    static RuntimeTelemetry()
    {
        Meter.CreateObservableGauge("hyopps.executions.due", () => Volatile.Read(ref _backlog).Due, description: "Executions due and unclaimed, as the worker last sampled.");
        Meter.CreateObservableGauge("hyopps.executions.oldest_due_age", () => Volatile.Read(ref _backlog).OldestDueAgeSeconds, unit: "s", description: "How long the oldest due execution has waited for a worker.");
        Meter.CreateObservableGauge("hyopps.executions.stuck", () => Volatile.Read(ref _backlog).Stuck, description: "Due executions unclaimed past the stuck threshold.");
    }

    public static void Started(string workflow) => ExecutionsStarted.Add(1, new KeyValuePair<string, object?>("hyopps.workflow", workflow));

    public static void LeaseLost(string workflow) => LeaseLosses.Add(1, new KeyValuePair<string, object?>("hyopps.workflow", workflow));

    public static void Backlog(int due, double oldestDueAgeSeconds, int stuck) => Volatile.Write(ref _backlog, new BacklogSample(due, oldestDueAgeSeconds, stuck));

    /// <summary>Counts what a committed transition ended: attempts, and the execution when it settles.</summary>
    public static void Committed(Transition transition)
    {
        var workflow = new KeyValuePair<string, object?>("hyopps.workflow", transition.Execution.WorkflowName);
        foreach (var attempt in transition.Attempts)
        {
            if (attempt.Outcome == AttemptOutcome.Running)
            {
                continue;
            }

            var step = new KeyValuePair<string, object?>("hyopps.step_id", attempt.StepId);
            StepAttempts.Add(1, workflow, step, new KeyValuePair<string, object?>("outcome", Name(attempt.Outcome)));
            if (attempt.EndedAt is { } ended)
            {
                StepDuration.Record((ended - attempt.StartedAt).TotalMilliseconds, workflow, step);
            }
        }

        if (transition.Settles)
        {
            var outcome = transition.Execution.Status switch
            {
                ExecutionStatus.Succeeded => "succeeded",
                ExecutionStatus.Cancelled => "cancelled",
                _ when transition.Execution.ErrorType == StepErrorTypes.Rejected => "rejected",
                _ => "failed",
            };
            ExecutionsCompleted.Add(1, workflow, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    private static string Name(AttemptOutcome outcome) => outcome switch
    {
        AttemptOutcome.Succeeded => "succeeded",
        AttemptOutcome.Skipped => "skipped",
        AttemptOutcome.WaitingForApproval => "waiting_for_approval",
        AttemptOutcome.Failed => "failed",
        AttemptOutcome.Abandoned => "abandoned",
        AttemptOutcome.Cancelled => "cancelled",
        _ => "running",
    };

    private sealed record BacklogSample(int Due, double OldestDueAgeSeconds, int Stuck);
}
