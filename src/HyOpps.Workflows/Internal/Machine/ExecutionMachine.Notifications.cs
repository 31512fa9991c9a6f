using System.Globalization;
using HyOpps.Workflows.Notifications;
using HyOpps.Workflows.Storage;

namespace HyOpps.Workflows.Internal.Machine;

/// <summary>The notification events a transition causes, committed with it (the outbox).</summary>
internal static partial class ExecutionMachine
{
    /// <summary>
    /// Returns the event of a transition that fails the execution or puts a step into waiting for approval; none otherwise.
    /// A step's permanent failure fails its execution too, but is one event (<see cref="ExecutionNotificationKind.StepFailedPermanently"/>),
    /// so that one failure sends one message; <see cref="ExecutionNotificationKind.ExecutionFailed"/> is a failure of no single step.
    /// </summary>
    /// <remarks>
    /// The id is derived from the step's index and run (a retry or re-run starts a new run), so that the same failure always
    /// has the same id. The summary is built from names and the error category only: error messages may quote input values.
    /// </remarks>
    public static IReadOnlyList<NotificationRecord> Notifications(Transition transition)
    {
        var e = transition.Execution;
        if (e.Status == ExecutionStatus.Failed)
        {
            var step = transition.Steps.FirstOrDefault(s => s.Status == StepStatus.Failed);
            var category = e.ErrorType ?? StepErrorTypes.Unhandled;
            return step is null
                ? [Event(e, ExecutionNotificationKind.ExecutionFailed, null, $"at:{e.UpdatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}",
                    $"Execution of {e.WorkflowName} failed (category: {category})")]
                : [Event(e, ExecutionNotificationKind.StepFailedPermanently, step, null,
                    $"Step {step.StepId} of {e.WorkflowName} failed permanently (category: {category})")];
        }

        if (e.Status == ExecutionStatus.WaitingForApproval
            && transition.Steps.FirstOrDefault(s => s.Status == StepStatus.WaitingForApproval) is { } waiting)
        {
            return [Event(e, ExecutionNotificationKind.WaitingForApproval, waiting, null, $"Step {waiting.StepId} of {e.WorkflowName} waits for approval")];
        }

        return [];
    }

    private static NotificationRecord Event(ExecutionRecord e, ExecutionNotificationKind kind, StepRecord? step, string? occurrence, string summary) => new()
    {
        EventId = string.Create(CultureInfo.InvariantCulture, $"{e.Id}/{kind}/{(step is null ? occurrence : $"{step.Index}.{step.Run}")}"),
        Kind = kind,
        ExecutionId = e.Id,
        WorkflowName = e.WorkflowName,
        StepId = step?.StepId,
        OccurredAt = e.UpdatedAt,
        Labels = e.Labels,
        Summary = summary,
    };
}
