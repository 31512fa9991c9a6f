using HyOpps.Workflows;

namespace HyOpps.Integrations.Shared;

/// <summary>The checks every integration step makes on its typed input, with one wording.</summary>
/// <remarks>Shared source (src/Shared/Integrations), compiled into each integration; not public API.</remarks>
internal static class StepInputs
{
    /// <summary>Returns the trimmed value, or fails permanently naming the input field when it is empty.</summary>
    public static string Required(string? value, string field)
        => string.IsNullOrWhiteSpace(value)
            ? throw StepException.Permanent($"The step's input has no {field}.", StepErrorTypes.InvalidInput)
            : value.Trim();
}
