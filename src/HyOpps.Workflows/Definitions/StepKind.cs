namespace HyOpps.Workflows;

/// <summary>How a step is carried out.</summary>
public enum StepKind
{
    /// <summary>An <see cref="IWorkflowStep"/> type resolved from dependency injection.</summary>
    Typed,

    /// <summary>A delegate given in the workflow definition.</summary>
    Delegate,

    /// <summary>A step that waits for a person to approve or reject it.</summary>
    Manual,
}
