namespace HyOpps.Workflows;

/// <summary>Gives a step type its default, stable step id (for example <c>create_metabase_account</c>).</summary>
/// <remarks>Without it the id is the type name in snake case, less a trailing <c>Step</c>.</remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class WorkflowStepAttribute : Attribute
{
    /// <summary>Initializes a new instance of the <see cref="WorkflowStepAttribute"/> class.</summary>
    /// <param name="id">The default step id.</param>
    public WorkflowStepAttribute(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        Id = id;
    }

    /// <summary>Gets the default step id.</summary>
    public string Id { get; }
}
