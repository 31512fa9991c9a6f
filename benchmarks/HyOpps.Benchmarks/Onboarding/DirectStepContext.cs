using System.Text.Json;
using HyOpps.Workflows;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HyOpps.Benchmarks.Onboarding;

/// <summary>The context of the direct baseline: one execution's input and outputs in memory, nothing stored.</summary>
internal sealed class DirectStepContext(JsonElement input, IServiceProvider services) : StepContext
{
    private readonly Dictionary<string, JsonElement> _outputs = new(StringComparer.Ordinal);
    private JsonElement? _checkpoint;
    private string _stepId = string.Empty;
    private int _attempt = 1;
    private JsonElement? _stepInput;

    public override string ExecutionId { get; } = "direct-" + Guid.NewGuid().ToString("N");

    public override string WorkflowName => OnboardingWorkflow.Name;

    public override int WorkflowVersion => 1;

    public override string StepId => _stepId;

    public override int Attempt => _attempt;

    public override string IdempotencyKey => $"{ExecutionId}/{StepId}";

    public override JsonElement Input => _stepInput ?? input;

    public override JsonElement? Checkpoint => _checkpoint;

    public override IServiceProvider Services { get; } = services;

    public override ILogger Logger => NullLogger.Instance;

    public override TimeProvider TimeProvider => TimeProvider.System;

    public void Begin(string stepId, int attempt)
    {
        if (stepId != _stepId)
        {
            _checkpoint = null;
        }

        _stepId = stepId;
        _attempt = attempt;

        // A typed step reads its own input, mapped from the workflow input and earlier outputs as the definition would.
        _stepInput = null;
        _stepInput = DirectInputs.For(stepId, this);
    }

    public void Complete(StepResult result)
    {
        if (result.Output is { } output)
        {
            _outputs[_stepId] = JsonSerializer.SerializeToElement(output, HyOppsJson.SerializerOptions);
        }
    }

    public override bool TryGetOutput(string stepId, out JsonElement output) => _outputs.TryGetValue(stepId, out output);

    public override ValueTask SaveCheckpointAsync(object checkpoint, CancellationToken cancellationToken)
    {
        _checkpoint = JsonSerializer.SerializeToElement(checkpoint, checkpoint.GetType(), HyOppsJson.SerializerOptions);
        return ValueTask.CompletedTask;
    }
}
