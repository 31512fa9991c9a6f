namespace HyOpps.Workflows.Internal;

internal sealed record WorkflowRegistration(string Name, Action<WorkflowBuilder> Configure);
