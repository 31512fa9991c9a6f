namespace HyOpps.Workflows;

/// <summary>How one attempt of a step ended.</summary>
public enum AttemptOutcome
{
    /// <summary>Still running.</summary>
    Running,

    /// <summary>The step succeeded.</summary>
    Succeeded,

    /// <summary>The step had nothing to do.</summary>
    Skipped,

    /// <summary>The step asked for a person's approval.</summary>
    WaitingForApproval,

    /// <summary>The step failed; another attempt may follow.</summary>
    Failed,

    /// <summary>The worker stopped (crash, shutdown, lost lease) before the attempt ended.</summary>
    Abandoned,

    /// <summary>An operator cancelled the execution during the attempt.</summary>
    Cancelled,
}
