namespace HyOpps.Workflows;

/// <summary>Configures a step that takes a typed input: its skip rule reads the input mapped for the attempt.</summary>
/// <typeparam name="TInput">The step's input.</typeparam>
public sealed class StepBuilder<TInput>
    where TInput : class
{
    private readonly StepBuilder _builder;
    private readonly Internal.StepInputBinding<TInput> _binding;

    internal StepBuilder(StepBuilder builder, Internal.StepInputBinding<TInput> binding)
    {
        _builder = builder;
        _binding = binding;
    }

    /// <summary>Runs the step only when <paramref name="condition"/> holds for the attempt's mapped input; otherwise it is skipped.</summary>
    /// <param name="condition">Evaluated on the mapped input before each attempt runs the step.</param>
    /// <param name="reasonWhenSkipped">The reason recorded when the step is skipped, for example "The org has no Slack user group.".</param>
    /// <returns>This builder.</returns>
    /// <remarks>A skipped attempt records the input that made the rule skip it. A condition that throws fails the step permanently.</remarks>
    public StepBuilder<TInput> When(Func<TInput, bool> condition, string reasonWhenSkipped)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return When((input, _, _) => ValueTask.FromResult(condition(input)), reasonWhenSkipped);
    }

    /// <summary>
    /// Runs the step only when <paramref name="condition"/> holds at the attempt; the rule may read current data (through
    /// <see cref="StepContext.Services"/>) that the step's own input does not carry, for example the org a Metabase account is for.
    /// </summary>
    /// <param name="condition">Evaluated on the mapped input before each attempt runs the step, so a retry sees data fixed since the last one.</param>
    /// <param name="reasonWhenSkipped">The reason recorded when the step is skipped.</param>
    /// <returns>This builder.</returns>
    /// <remarks>A skipped attempt records the input it was given. A condition that throws (other than a <see cref="StepException"/>) fails the step permanently.</remarks>
    public StepBuilder<TInput> When(Func<TInput, StepContext, CancellationToken, ValueTask<bool>> condition, string reasonWhenSkipped)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentException.ThrowIfNullOrWhiteSpace(reasonWhenSkipped);
        _binding.SetCondition(condition, reasonWhenSkipped);
        return this;
    }

    /// <summary>Sets the step's retry policy.</summary>
    /// <param name="policy">The policy.</param>
    /// <returns>This builder.</returns>
    public StepBuilder<TInput> WithRetry(RetryPolicy policy)
    {
        _builder.WithRetry(policy);
        return this;
    }

    /// <summary>Limits how long one attempt (its mapping included) may run; a timed-out attempt is a retryable failure.</summary>
    /// <param name="timeout">The limit.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is not positive.</exception>
    public StepBuilder<TInput> WithTimeout(TimeSpan timeout)
    {
        _builder.WithTimeout(timeout);
        return this;
    }

    /// <summary>Sets the name shown to operators.</summary>
    /// <param name="displayName">The name.</param>
    /// <returns>This builder.</returns>
    public StepBuilder<TInput> WithDisplayName(string displayName)
    {
        _builder.WithDisplayName(displayName);
        return this;
    }
}
