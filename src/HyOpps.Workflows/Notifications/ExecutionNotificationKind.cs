namespace HyOpps.Workflows.Notifications;

/// <summary>What happened to an execution that someone should hear about.</summary>
public enum ExecutionNotificationKind
{
    /// <summary>The execution failed.</summary>
    ExecutionFailed,

    /// <summary>A step failed permanently: its error was not transient, or its retries ran out.</summary>
    StepFailedPermanently,

    /// <summary>A manual step waits for a person to approve or reject it.</summary>
    WaitingForApproval,
}
