using System.Text.Json;
using System.Text.Json.Nodes;

namespace HyOpps.Workflows;

/// <summary>The immutable result of one step attempt: succeeded with output, skipped with a reason, or waiting.</summary>
public sealed class StepResult
{
    private StepResult(StepOutcome outcome, JsonObject? output, string? reason)
    {
        Outcome = outcome;
        Output = output;
        Reason = reason;
    }

    /// <summary>Gets what the step reported.</summary>
    public StepOutcome Outcome { get; }

    /// <summary>Gets the step's output as a JSON object, or <see langword="null"/> when it has none.</summary>
    public JsonObject? Output { get; }

    /// <summary>Gets why the step was skipped or is waiting.</summary>
    public string? Reason { get; }

    /// <summary>Creates a result for a step that did its work.</summary>
    /// <param name="output">An object serialized to a JSON object (snake_case names); secret properties are dropped.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentException"><paramref name="output"/> does not serialize to a JSON object.</exception>
    public static StepResult Succeeded(object? output = null) => new(StepOutcome.Succeeded, ToObject(output), null);

    /// <summary>Creates a result for a step that had nothing to do.</summary>
    /// <param name="reason">Why the step was skipped, shown to operators.</param>
    /// <param name="output">Optional extra output.</param>
    /// <returns>The result.</returns>
    public static StepResult Skipped(string reason, object? output = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var json = ToObject(output) ?? [];
        json["skipped"] = true;
        json["reason"] = reason;
        return new(StepOutcome.Skipped, json, reason);
    }

    /// <summary>Creates a result for a step that waits for a person to approve or reject it.</summary>
    /// <param name="reason">What the person is asked to decide.</param>
    /// <returns>The result.</returns>
    public static StepResult WaitForApproval(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new(StepOutcome.WaitingForApproval, null, reason);
    }

    private static JsonObject? ToObject(object? output)
    {
        if (output is null)
        {
            return null;
        }

        var node = output switch
        {
            JsonObject o => (JsonObject)o.DeepClone(),
            JsonNode n => n,
            JsonElement e => JsonNode.Parse(e.GetRawText()),
            _ => JsonSerializer.SerializeToNode(output, output.GetType(), HyOppsJson.SerializerOptions),
        };
        return node as JsonObject
            ?? throw new ArgumentException("A step output must serialize to a JSON object.", nameof(output));
    }
}
