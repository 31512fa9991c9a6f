namespace HyOpps.Workflows;

/// <summary>Where an execution stands.</summary>
public enum ExecutionStatus
{
    /// <summary>Queued, or waiting for a retry; a worker will claim it.</summary>
    Pending,

    /// <summary>A worker holds it and runs its steps.</summary>
    Running,

    /// <summary>A step waits for a person to approve or reject it.</summary>
    WaitingForApproval,

    /// <summary>Every step succeeded or was skipped.</summary>
    Succeeded,

    /// <summary>A step failed permanently or ran out of attempts.</summary>
    Failed,

    /// <summary>An operator cancelled it.</summary>
    Cancelled,
}
