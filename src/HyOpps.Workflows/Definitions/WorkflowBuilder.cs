using System.Reflection;
using System.Text;

namespace HyOpps.Workflows;

/// <summary>Defines a workflow's version and its ordered steps.</summary>
public sealed class WorkflowBuilder
{
    private readonly List<StepDefinition> _steps = [];

    internal WorkflowBuilder(string name) => Name = name;

    internal string Name { get; }

    internal int WorkflowVersion { get; private set; } = 1;

    /// <summary>Sets the definition's version. The default value is 1.</summary>
    /// <param name="version">A positive version number.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="version"/> is not positive.</exception>
    public WorkflowBuilder Version(int version)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        WorkflowVersion = version;
        return this;
    }

    /// <summary>Adds a typed step whose id comes from its <see cref="WorkflowStepAttribute"/> or its type name.</summary>
    /// <typeparam name="TStep">The step type, resolved from dependency injection for each attempt.</typeparam>
    /// <param name="configure">Configures retries, timeout and condition.</param>
    /// <returns>This builder.</returns>
    public WorkflowBuilder Step<TStep>(Action<StepBuilder>? configure = null)
        where TStep : class, IWorkflowStep
        => Step<TStep>(DefaultStepId(typeof(TStep)), configure);

    /// <summary>Adds a typed step with an explicit id.</summary>
    /// <typeparam name="TStep">The step type, resolved from dependency injection for each attempt.</typeparam>
    /// <param name="id">The step id, unique within the workflow.</param>
    /// <param name="configure">Configures retries, timeout and condition.</param>
    /// <returns>This builder.</returns>
    public WorkflowBuilder Step<TStep>(string id, Action<StepBuilder>? configure = null)
        where TStep : class, IWorkflowStep
        => Add(new StepDefinition(id, _steps.Count, StepKind.Typed) { StepType = typeof(TStep), Input = Internal.StepInputBinding.For(typeof(TStep)) }, configure);

    /// <summary>Adds a step carried out by a delegate, for small things.</summary>
    /// <param name="id">The step id, unique within the workflow.</param>
    /// <param name="run">The step's work.</param>
    /// <param name="configure">Configures retries, timeout and condition.</param>
    /// <returns>This builder.</returns>
    public WorkflowBuilder Step(string id, Func<StepContext, CancellationToken, ValueTask<StepResult>> run, Action<StepBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        return Add(new StepDefinition(id, _steps.Count, StepKind.Delegate) { Delegate = run }, configure);
    }

    /// <summary>Adds a step that waits for a person to approve (the workflow goes on) or reject (it fails).</summary>
    /// <param name="id">The step id, unique within the workflow.</param>
    /// <param name="prompt">What the person is asked to decide.</param>
    /// <param name="configure">Configures the display name and condition.</param>
    /// <returns>This builder.</returns>
    public WorkflowBuilder ManualStep(string id, string prompt, Action<StepBuilder>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prompt);
        return Add(new StepDefinition(id, _steps.Count, StepKind.Manual) { Prompt = prompt }, configure);
    }

    internal WorkflowDefinition Build() => new(Name, WorkflowVersion, _steps.ToArray());

    internal static string DefaultStepId(Type type)
    {
        if (type.GetCustomAttribute<WorkflowStepAttribute>() is { } attribute)
        {
            return attribute.Id;
        }

        var name = type.Name.EndsWith("Step", StringComparison.Ordinal) && type.Name.Length > 4 ? type.Name[..^4] : type.Name;
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }

    private WorkflowBuilder Add(StepDefinition step, Action<StepBuilder>? configure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(step.Id, "id");
        step.DisplayName = step.Id;
        configure?.Invoke(new StepBuilder(step));
        _steps.Add(step);
        return this;
    }
}
