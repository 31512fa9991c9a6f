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

    /// <summary>Returns the id, or fails permanently naming the input field unless it is positive, as the service's ids are.</summary>
    public static int RequiredId(int value, string field, string service)
        => value > 0
            ? value
            : throw StepException.Permanent($"The step's input {field} is {value}; a {service} id is a positive whole number.", StepErrorTypes.InvalidInput);
}
