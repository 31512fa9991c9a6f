namespace HyOpps.Workflows;

/// <summary>One unit of work in a workflow, resolved from dependency injection for every attempt.</summary>
/// <remarks>
/// The runtime runs a step at least once: after a crash an attempt can run again, so a step checks
/// before it acts (find before create, union before set) and a second run changes nothing.
/// </remarks>
public interface IWorkflowStep
{
    /// <summary>Runs the step and reports what really happened.</summary>
    /// <param name="context">The execution, its input, earlier steps' outputs and services.</param>
    /// <param name="cancellationToken">Signalled on cancellation, timeout, lease loss or shutdown.</param>
    /// <returns>The outcome: succeeded with output, skipped with a reason, or waiting for a person.</returns>
    /// <exception cref="StepException">The step failed; its <see cref="StepException.IsRetryable"/> drives retries.</exception>
    ValueTask<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken);
}
