using Microsoft.Extensions.DependencyInjection;

namespace HyOpps.Workflows.Internal;

internal sealed class WorkflowRegistry
{
    private readonly Dictionary<string, SortedList<int, WorkflowDefinition>> _byName = new(StringComparer.Ordinal);

    public WorkflowRegistry(IEnumerable<WorkflowRegistration> registrations, IServiceProvider services)
    {
        var isService = services.GetService<IServiceProviderIsService>();
        foreach (var registration in registrations)
        {
            var builder = new WorkflowBuilder(registration.Name);
            registration.Configure(builder);
            var definition = builder.Build();
            Validate(definition, isService);
            if (!_byName.TryGetValue(definition.Name, out var versions))
            {
                _byName[definition.Name] = versions = [];
            }

            if (!versions.TryAdd(definition.Version, definition))
            {
                throw new WorkflowDefinitionException($"Workflow '{definition.Name}' version {definition.Version} is defined twice.");
            }
        }

        All = _byName.Values.SelectMany(v => v.Values).ToArray();
    }

    public IReadOnlyList<WorkflowDefinition> All { get; }

    public WorkflowDefinition Get(string name, int? version = null)
    {
        if (!_byName.TryGetValue(name, out var versions))
        {
            var known = _byName.Count == 0 ? "none" : string.Join(", ", _byName.Keys.Order(StringComparer.Ordinal));
            throw new WorkflowNotFoundException($"No workflow named '{name}' is registered (registered: {known}).");
        }

        if (version is null)
        {
            return versions.Values[^1];
        }

        return versions.TryGetValue(version.Value, out var definition)
            ? definition
            : throw new WorkflowNotFoundException($"Workflow '{name}' has no version {version} (registered: {string.Join(", ", versions.Keys)}).");
    }

    public WorkflowDefinition? Find(string name, int version)
        => _byName.TryGetValue(name, out var versions) && versions.TryGetValue(version, out var definition) ? definition : null;

    private static void Validate(WorkflowDefinition definition, IServiceProviderIsService? isService)
    {
        if (definition.Steps.Count == 0)
        {
            throw new WorkflowDefinitionException($"Workflow '{definition.Name}' version {definition.Version} has no steps.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var step in definition.Steps)
        {
            if (!seen.Add(step.Id))
            {
                throw new WorkflowDefinitionException($"Workflow '{definition.Name}' version {definition.Version} has two steps with id '{step.Id}'.");
            }

            step.RetryPolicy?.Validate($"Workflow '{definition.Name}' step '{step.Id}'");
            if (step.Kind == StepKind.Typed && step.StepType is { } type && !CanResolve(type, isService))
            {
                throw new WorkflowDefinitionException(
                    $"Workflow '{definition.Name}' step '{step.Id}' uses type {type.FullName}, which is not registered in dependency injection " +
                    "and cannot be constructed from registered services. Register it (for example through the integration's AddXxx) or add its dependencies.");
            }
        }
    }

    private static bool CanResolve(Type type, IServiceProviderIsService? isService)
    {
        if (isService is null || isService.IsService(type))
        {
            return true;
        }

        if (type.IsAbstract || type.IsInterface)
        {
            return false;
        }

        return type.GetConstructors().Any(c => c.GetParameters().All(p => p.HasDefaultValue || isService.IsService(p.ParameterType)));
    }
}
