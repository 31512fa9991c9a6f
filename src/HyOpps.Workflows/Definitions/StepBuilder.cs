namespace HyOpps.Workflows;

/// <summary>Configures one step: retries, timeout, condition and display name.</summary>
public sealed class StepBuilder
{
    private readonly StepDefinition _step;

    internal StepBuilder(StepDefinition step) => _step = step;

    /// <summary>Sets the step's retry policy.</summary>
    /// <param name="policy">The policy.</param>
    /// <returns>This builder.</returns>
    public StepBuilder WithRetry(RetryPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _step.RetryPolicy = policy;
        return this;
    }

    /// <summary>Limits how long one attempt may run; a timed-out attempt is a retryable failure.</summary>
    /// <param name="timeout">The limit.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is not positive.</exception>
    public StepBuilder WithTimeout(TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _step.Timeout = timeout;
        return this;
    }

    /// <summary>Runs the step only when <paramref name="condition"/> holds; otherwise it is skipped with <paramref name="reasonWhenSkipped"/>.</summary>
    /// <param name="condition">Evaluated before the step runs.</param>
    /// <param name="reasonWhenSkipped">The reason recorded when the step is skipped.</param>
    /// <returns>This builder.</returns>
    public StepBuilder When(Func<StepContext, bool> condition, string reasonWhenSkipped)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentException.ThrowIfNullOrWhiteSpace(reasonWhenSkipped);
        _step.Condition = condition;
        _step.SkipReason = reasonWhenSkipped;
        return this;
    }

    /// <summary>Maps the workflow's data onto the step's own input, at each attempt.</summary>
    /// <typeparam name="TInput">The input of the step, which implements <see cref="IWorkflowStep{TInput}"/>.</typeparam>
    /// <param name="map">Builds the input from the workflow input (<see cref="StepContext.GetInput{T}"/>), earlier outputs
    /// (<see cref="StepContext.GetOutput{T}(string)"/>) and services (<see cref="StepContext.Services"/>).</param>
    /// <returns>A builder of the typed step, whose skip rules (<c>When</c>) read the mapped input.</returns>
    /// <remarks>
    /// The mapping runs before every attempt, so a retry sees data fixed since the last one. An operator's input override for
    /// the step replaces the mapped input: the mapping does not run and the override is read as <typeparamref name="TInput"/>.
    /// A mapping that throws fails the step permanently, naming it.
    /// </remarks>
    /// <exception cref="WorkflowDefinitionException">The step does not implement <see cref="IWorkflowStep{TInput}"/>.</exception>
    public StepBuilder<TInput> Input<TInput>(Func<StepContext, TInput> map)
        where TInput : class
    {
        ArgumentNullException.ThrowIfNull(map);
        return Input<TInput>((context, _) => ValueTask.FromResult(map(context)));
    }

    /// <summary>Maps the workflow's data onto the step's own input at each attempt, reading current data asynchronously.</summary>
    /// <typeparam name="TInput">The input of the step, which implements <see cref="IWorkflowStep{TInput}"/>.</typeparam>
    /// <param name="map">Builds the input, for example from a host service read through <see cref="StepContext.Services"/>.</param>
    /// <returns>A builder of the typed step, whose skip rules (<c>When</c>) read the mapped input.</returns>
    /// <remarks>See <see cref="Input{TInput}(Func{StepContext, TInput})"/>.</remarks>
    /// <exception cref="WorkflowDefinitionException">The step does not implement <see cref="IWorkflowStep{TInput}"/>.</exception>
    public StepBuilder<TInput> Input<TInput>(Func<StepContext, CancellationToken, ValueTask<TInput>> map)
        where TInput : class
    {
        ArgumentNullException.ThrowIfNull(map);
        if (_step.Input is not Internal.StepInputBinding<TInput> binding)
        {
            var takes = _step.Input is { } other ? $"it takes {other.InputType.Name}" : "it implements no IWorkflowStep<TInput>";
            throw new WorkflowDefinitionException(
                $"Step '{_step.Id}' ({_step.StepType?.Name ?? _step.Kind.ToString()}) cannot take an input of type {typeof(TInput).Name}: {takes}.");
        }

        binding.SetMap(map);
        return new StepBuilder<TInput>(this, binding);
    }

    /// <summary>Sets the name shown to operators.</summary>
    /// <param name="displayName">The name.</param>
    /// <returns>This builder.</returns>
    public StepBuilder WithDisplayName(string displayName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(displayName);
        _step.DisplayName = displayName;
        return this;
    }
}
