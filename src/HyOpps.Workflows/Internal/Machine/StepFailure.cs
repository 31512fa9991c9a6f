namespace HyOpps.Workflows.Internal.Machine;

/// <summary>Why an attempt failed, as the state machine needs it.</summary>
/// <param name="Message">What a person reads.</param>
/// <param name="ErrorType">One of <see cref="StepErrorTypes"/>.</param>
/// <param name="IsRetryable">Whether another attempt may succeed.</param>
/// <param name="Delay">The backoff before that attempt, from the step's retry policy.</param>
internal sealed record StepFailure(string Message, string ErrorType, bool IsRetryable, TimeSpan Delay);
