namespace HyOpps.Workflows;

/// <summary>No workflow of the given name (or version) is registered.</summary>
public sealed class WorkflowNotFoundException : HyOppsException
{
    /// <summary>Initializes a new instance of the <see cref="WorkflowNotFoundException"/> class.</summary>
    /// <param name="message">Names the workflow and the registered ones.</param>
    public WorkflowNotFoundException(string message)
        : base(message)
    {
    }
}
