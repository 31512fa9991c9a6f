using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace HyOpps.Workflows.Internal;

internal sealed class RuntimeStepContext : StepContext
{
    private readonly ExecutionState _state;
    private readonly int _index;
    private readonly Func<string, CancellationToken, ValueTask> _saveCheckpoint;
    private readonly ISet<string> _secretNames;
    private JsonElement? _checkpoint;

    public RuntimeStepContext(
        ExecutionState state,
        int index,
        int attempt,
        IServiceProvider services,
        ILogger logger,
        TimeProvider timeProvider,
        ISet<string> secretNames,
        Func<string, CancellationToken, ValueTask> saveCheckpoint)
    {
        _state = state;
        _index = index;
        Attempt = attempt;
        Services = services;
        Logger = logger;
        TimeProvider = timeProvider;
        _secretNames = secretNames;
        _saveCheckpoint = saveCheckpoint;
        var step = state.Steps[index];
        Input = Parse(step.InputOverride ?? state.Execution.Input);
        _checkpoint = step.Checkpoint is null ? null : Parse(step.Checkpoint);
    }

    public override string ExecutionId => _state.Execution.Id;

    public override string WorkflowName => _state.Execution.WorkflowName;

    public override int WorkflowVersion => _state.Execution.WorkflowVersion;

    public override string StepId => _state.Steps[_index].StepId;

    /// <remarks>
    /// Fixed when the context is made, before the attempt's start is committed: the input mapping runs first and must
    /// see the number the attempt will run as, not the previous attempt's.
    /// </remarks>
    public override int Attempt { get; }

    public override string IdempotencyKey
    {
        get
        {
            var step = _state.Steps[_index];
            return step.Run == 1 ? $"{ExecutionId}/{step.StepId}" : $"{ExecutionId}/{step.StepId}/r{step.Run}";
        }
    }

    public override JsonElement Input { get; }

    public override JsonElement? Checkpoint => _checkpoint;

    public override IServiceProvider Services { get; }

    public override ILogger Logger { get; }

    public override TimeProvider TimeProvider { get; }

    public override bool TryGetOutput(string stepId, out JsonElement output)
    {
        foreach (var step in _state.Steps)
        {
            if (step.StepId == stepId && step.Output is { } json
                && step.Status is StepStatus.Succeeded or StepStatus.Skipped or StepStatus.WaitingForApproval)
            {
                output = Parse(json);
                return true;
            }
        }

        output = default;
        return false;
    }

    public override async ValueTask SaveCheckpointAsync(object checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var node = checkpoint switch
        {
            JsonNode n => n.DeepClone(),
            JsonElement e => JsonNode.Parse(e.GetRawText()),
            _ => JsonSerializer.SerializeToNode(checkpoint, checkpoint.GetType(), HyOppsJson.SerializerOptions),
        };
        var json = SecretScrubber.ToJson(node, _secretNames);
        await _saveCheckpoint(json, cancellationToken).ConfigureAwait(false);
        _checkpoint = Parse(json);
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
