namespace HyOpps.Workflows;

/// <summary>A workflow definition is invalid; the message names the workflow and step.</summary>
public sealed class WorkflowDefinitionException : HyOppsException
{
    /// <summary>Initializes a new instance of the <see cref="WorkflowDefinitionException"/> class.</summary>
    /// <param name="message">Names the workflow, the step and the problem.</param>
    public WorkflowDefinitionException(string message)
        : base(message)
    {
    }
}
