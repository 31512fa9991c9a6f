using System.Collections.Concurrent;
using HyOpps.Workflows;

namespace HyOpps.Workflows.Tests.Runtime;

public sealed record GreetingInput(string Name);

public sealed record GreetingOutput(string Greeting, int Length);

[WorkflowStep("greet")]
public sealed class GreetStep : IWorkflowStep
{
    public ValueTask<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var input = context.GetInput<GreetingInput>();
        var greeting = $"Hello, {input.Name}";
        return ValueTask.FromResult(StepResult.Succeeded(new GreetingOutput(greeting, greeting.Length)));
    }
}

public sealed class ShoutGreetingStep : IWorkflowStep
{
    public ValueTask<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var greeting = context.GetOutput<GreetingOutput>("greet");
        return ValueTask.FromResult(StepResult.Succeeded(new { Shout = greeting.Greeting.ToUpperInvariant() }));
    }
}

/// <summary>Counts runs per execution and step, shared by a test through DI.</summary>
public sealed class RunLog
{
    private readonly ConcurrentDictionary<string, int> _runs = new();

    public int Record(string executionId, string stepId) => _runs.AddOrUpdate($"{executionId}/{stepId}", 1, (_, n) => n + 1);

    public int Runs(string executionId, string stepId) => _runs.GetValueOrDefault($"{executionId}/{stepId}");

    public int Total => _runs.Values.Sum();
}
