using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace HyOpps.Workflows;

/// <summary>What a step sees of its execution: ids, input, earlier outputs, its checkpoint and services.</summary>
/// <remarks>The runtime supplies one per attempt; <c>HyOpps.Testing</c> has one for unit tests of steps.</remarks>
public abstract class StepContext
{
    /// <summary>Gets the execution id.</summary>
    public abstract string ExecutionId { get; }

    /// <summary>Gets the workflow name.</summary>
    public abstract string WorkflowName { get; }

    /// <summary>Gets the workflow version the execution started on.</summary>
    public abstract int WorkflowVersion { get; }

    /// <summary>Gets the id of the running step.</summary>
    public abstract string StepId { get; }

    /// <summary>Gets the attempt number of this run of the step, starting at 1.</summary>
    public abstract int Attempt { get; }

    /// <summary>Gets a key that is the same for every attempt of this run of the step, for idempotent calls.</summary>
    public abstract string IdempotencyKey { get; }

    /// <summary>Gets the workflow input, or the operator's input override for this step.</summary>
    public abstract JsonElement Input { get; }

    /// <summary>Gets the checkpoint this step saved in an earlier attempt, if any.</summary>
    public abstract JsonElement? Checkpoint { get; }

    /// <summary>Gets the services of the attempt's scope.</summary>
    public abstract IServiceProvider Services { get; }

    /// <summary>Gets a logger whose scope carries the execution id and step id.</summary>
    public abstract ILogger Logger { get; }

    /// <summary>Gets the clock.</summary>
    public abstract TimeProvider TimeProvider { get; }

    /// <summary>Gets the output of an earlier step of this execution.</summary>
    /// <param name="stepId">The earlier step's id.</param>
    /// <param name="output">The output, when the step completed with one.</param>
    /// <returns><see langword="true"/> when the step completed with an output.</returns>
    public abstract bool TryGetOutput(string stepId, out JsonElement output);

    /// <summary>Durably saves a checkpoint that later attempts of this step can read (for example "the email was accepted").</summary>
    /// <param name="checkpoint">An object serialized to JSON; secret properties are dropped.</param>
    /// <param name="cancellationToken">The token to cancel the save.</param>
    /// <returns>A task that completes once the checkpoint is committed.</returns>
    public abstract ValueTask SaveCheckpointAsync(object checkpoint, CancellationToken cancellationToken);

    /// <summary>Reads the input as <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The input type, with snake_case JSON names.</typeparam>
    /// <returns>The input.</returns>
    /// <exception cref="StepException">The input does not match <typeparamref name="T"/> (permanent).</exception>
    public T GetInput<T>() => Read<T>(Input, "the workflow input");

    /// <summary>Reads an earlier step's output as <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The output type, with snake_case JSON names.</typeparam>
    /// <param name="stepId">The earlier step's id.</param>
    /// <returns>The output.</returns>
    /// <exception cref="StepException">The step has no output, or it does not match <typeparamref name="T"/> (permanent).</exception>
    public T GetOutput<T>(string stepId)
    {
        ArgumentException.ThrowIfNullOrEmpty(stepId);
        if (!TryGetOutput(stepId, out var output))
        {
            throw StepException.Permanent(
                $"Step '{StepId}' needs the output of step '{stepId}', which has not completed with an output.",
                StepErrorTypes.MissingOutput);
        }

        return Read<T>(output, $"the output of step '{stepId}'");
    }

    /// <summary>Reads the checkpoint saved by an earlier attempt as <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The checkpoint type.</typeparam>
    /// <returns>The checkpoint, or <see langword="default"/> when none was saved.</returns>
    public T? GetCheckpoint<T>() => Checkpoint is { } c ? Read<T>(c, "the step checkpoint") : default;

    private static T Read<T>(JsonElement json, string what)
    {
        try
        {
            return json.Deserialize<T>(HyOppsJson.SerializerOptions)
                ?? throw new JsonException($"{what} is null.");
        }
        catch (JsonException ex)
        {
            throw StepException.Permanent($"Cannot read {what} as {typeof(T).Name}: {ex.Message}", StepErrorTypes.InvalidInput, ex);
        }
    }
}
