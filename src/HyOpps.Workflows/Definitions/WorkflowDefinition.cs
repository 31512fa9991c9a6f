namespace HyOpps.Workflows;

/// <summary>A named, versioned, ordered list of steps.</summary>
public sealed class WorkflowDefinition
{
    internal WorkflowDefinition(string name, int version, IReadOnlyList<StepDefinition> steps)
    {
        Name = name;
        Version = version;
        Steps = steps;
    }

    /// <summary>Gets the workflow name.</summary>
    public string Name { get; }

    /// <summary>Gets the version; an execution stays on the version it started with.</summary>
    public int Version { get; }

    /// <summary>Gets the steps in order.</summary>
    public IReadOnlyList<StepDefinition> Steps { get; }

    /// <summary>Finds a step by id.</summary>
    /// <param name="stepId">The step id.</param>
    /// <returns>The step, or <see langword="null"/>.</returns>
    public StepDefinition? FindStep(string stepId) => Steps.FirstOrDefault(s => s.Id == stepId);
}
