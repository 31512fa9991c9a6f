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
