namespace HyOpps.Workflows;

/// <summary>Where a step of an execution stands.</summary>
public enum StepStatus
{
    /// <summary>Not started yet, or waiting for its next attempt.</summary>
    Pending,

    /// <summary>An attempt is running.</summary>
    Running,

    /// <summary>Waiting for a person to approve or reject it.</summary>
    WaitingForApproval,

    /// <summary>Completed with its output.</summary>
    Succeeded,

    /// <summary>Had nothing to do; its output says why.</summary>
    Skipped,

    /// <summary>Failed permanently, ran out of attempts, or was rejected.</summary>
    Failed,

    /// <summary>Stopped by an operator's cancel.</summary>
    Cancelled,
}
