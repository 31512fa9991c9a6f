using HyOpps.Workflows;
using HyOpps.Workflows.Internal;
using Microsoft.Extensions.DependencyInjection;

namespace HyOpps;

/// <summary>Adds workflow definitions to HyOpps.</summary>
public static class WorkflowHyOppsBuilderExtensions
{
    /// <summary>Adds a workflow definition; several versions of one name may be added, and new executions use the highest.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <param name="name">The workflow name, for example <c>new_partner_user</c>.</param>
    /// <param name="configure">Defines the version and steps.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <remarks>Definitions are validated when the host starts: an empty workflow, duplicate step ids or a step type that cannot be resolved fail with a message naming the workflow and step.</remarks>
    public static IHyOppsBuilder AddWorkflow(this IHyOppsBuilder builder, string name, Action<WorkflowBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddSingleton(new WorkflowRegistration(name, configure));
        return builder;
    }
}
