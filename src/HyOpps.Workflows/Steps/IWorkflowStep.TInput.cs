namespace HyOpps.Workflows;

/// <summary>A step that takes its own typed input, which the workflow definition maps from the workflow's data at each attempt.</summary>
/// <typeparam name="TInput">The step's input, serialized with snake_case names; properties marked <see cref="SecretAttribute"/> are never stored.</typeparam>
/// <remarks>
/// A definition maps its data onto the input with <see cref="StepBuilder.Input{TInput}(Func{StepContext, TInput})"/>; without a
/// mapping the step reads the workflow input (or an operator's input override) as <typeparamref name="TInput"/>. The input each
/// attempt used is recorded with the attempt.
/// </remarks>
public interface IWorkflowStep<in TInput> : IWorkflowStep
    where TInput : class
{
    /// <summary>Runs the step with its input and reports what really happened.</summary>
    /// <param name="input">The input the definition mapped for this attempt.</param>
    /// <param name="context">The execution, earlier steps' outputs and services.</param>
    /// <param name="cancellationToken">Signalled on cancellation, timeout, lease loss or shutdown.</param>
    /// <returns>The outcome: succeeded with output, skipped with a reason, or waiting for a person.</returns>
    /// <exception cref="StepException">The step failed; its <see cref="StepException.IsRetryable"/> drives retries.</exception>
    ValueTask<StepResult> ExecuteAsync(TInput input, StepContext context, CancellationToken cancellationToken);

    /// <inheritdoc/>
    ValueTask<StepResult> IWorkflowStep.ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ExecuteAsync(context.GetInput<TInput>(), context, cancellationToken);
    }
}
