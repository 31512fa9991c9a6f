namespace HyOpps.Workflows;

/// <summary>What a step reported when it returned.</summary>
public enum StepOutcome
{
    /// <summary>The step did its work; the workflow moves on.</summary>
    Succeeded,

    /// <summary>The step had nothing to do (for example the integration is not configured for the org).</summary>
    Skipped,

    /// <summary>The step waits for a person to approve or reject it.</summary>
    WaitingForApproval,
}
