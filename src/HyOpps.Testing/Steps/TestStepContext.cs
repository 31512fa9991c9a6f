using System.Text.Json;
using HyOpps.Workflows;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HyOpps.Testing.Steps;

/// <summary>A <see cref="StepContext"/> for unit tests of steps: set the input, earlier outputs and services directly.</summary>
public sealed class TestStepContext : StepContext
{
    private readonly Dictionary<string, JsonElement> _outputs = new(StringComparer.Ordinal);
    private readonly List<JsonElement> _savedCheckpoints = [];

    /// <summary>Initializes a new instance of the <see cref="TestStepContext"/> class.</summary>
    /// <param name="input">The workflow input, serialized with <see cref="HyOppsJson.SerializerOptions"/>.</param>
    /// <param name="services">The services steps resolve from.</param>
    /// <param name="stepId">The step id.</param>
    public TestStepContext(object input, IServiceProvider services, string stepId = "step")
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(services);
        Input = input is JsonElement element ? element.Clone() : JsonSerializer.SerializeToElement(input, input.GetType(), HyOppsJson.SerializerOptions);
        Services = services;
        StepId = stepId;
    }

    /// <inheritdoc />
    public override string ExecutionId { get; } = "test-" + Guid.NewGuid().ToString("N");

    /// <inheritdoc />
    public override string WorkflowName => "test";

    /// <inheritdoc />
    public override int WorkflowVersion => 1;

    /// <inheritdoc />
    public override string StepId { get; }

    /// <summary>Gets or sets the attempt number.</summary>
    public int AttemptNumber { get; set; } = 1;

    /// <inheritdoc />
    public override int Attempt => AttemptNumber;

    /// <inheritdoc />
    public override string IdempotencyKey => $"{ExecutionId}/{StepId}";

    /// <inheritdoc />
    public override JsonElement Input { get; }

    /// <inheritdoc />
    public override JsonElement? Checkpoint => _savedCheckpoints.Count == 0 ? null : _savedCheckpoints[^1];

    /// <summary>Gets every checkpoint saved, in order.</summary>
    public IReadOnlyList<JsonElement> SavedCheckpoints => _savedCheckpoints;

    /// <inheritdoc />
    public override IServiceProvider Services { get; }

    /// <summary>Gets or sets the logger.</summary>
    public ILogger TestLogger { get; set; } = NullLogger.Instance;

    /// <inheritdoc />
    public override ILogger Logger => TestLogger;

    /// <summary>Gets or sets the clock.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <inheritdoc />
    public override TimeProvider TimeProvider => Clock;

    /// <summary>Sets the output of an earlier step.</summary>
    /// <param name="stepId">The earlier step's id.</param>
    /// <param name="output">The output, serialized with <see cref="HyOppsJson.SerializerOptions"/>.</param>
    /// <returns>This context.</returns>
    public TestStepContext WithOutput(string stepId, object output)
    {
        ArgumentException.ThrowIfNullOrEmpty(stepId);
        ArgumentNullException.ThrowIfNull(output);
        _outputs[stepId] = JsonSerializer.SerializeToElement(output, output.GetType(), HyOppsJson.SerializerOptions);
        return this;
    }

    /// <inheritdoc />
    public override bool TryGetOutput(string stepId, out JsonElement output) => _outputs.TryGetValue(stepId, out output);

    /// <inheritdoc />
    public override ValueTask SaveCheckpointAsync(object checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        cancellationToken.ThrowIfCancellationRequested();
        _savedCheckpoints.Add(JsonSerializer.SerializeToElement(checkpoint, checkpoint.GetType(), HyOppsJson.SerializerOptions));
        return ValueTask.CompletedTask;
    }
}
