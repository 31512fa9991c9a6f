namespace HyOpps.Workflows;

/// <summary>How a step's retryable failures are retried: bounded attempts, exponential backoff with jitter, a total budget.</summary>
public sealed record RetryPolicy
{
    /// <summary>Gets the default policy: 5 attempts, 2 s doubling to at most 5 min, with jitter, within 30 min.</summary>
    public static RetryPolicy Default { get; } = new();

    /// <summary>Gets a policy of a single attempt.</summary>
    public static RetryPolicy None { get; } = new() { MaxAttempts = 1 };

    /// <summary>Gets the most attempts, the first included. The default value is 5.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Gets the delay before the second attempt. The default value is 2 seconds.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets the factor each further delay grows by. The default value is 2.</summary>
    public double BackoffFactor { get; init; } = 2;

    /// <summary>Gets the longest delay between attempts. The default value is 5 minutes.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets the longest time from the first attempt after which no retry starts. The default value is 30 minutes.</summary>
    public TimeSpan MaxTotalDuration { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Gets a value indicating whether delays are randomised (between half and all of the computed delay). The default value is <see langword="true"/>.</summary>
    public bool UseJitter { get; init; } = true;

    /// <summary>Computes the delay before the next attempt.</summary>
    /// <param name="failedAttempt">The attempt that just failed, starting at 1.</param>
    /// <param name="retryAfter">The delay the service asked for, which is honoured when longer.</param>
    /// <param name="random">The source of jitter.</param>
    /// <returns>The delay.</returns>
    public TimeSpan GetDelay(int failedAttempt, TimeSpan? retryAfter, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var exponent = Math.Max(0, failedAttempt - 1);
        var raw = InitialDelay.TotalMilliseconds * Math.Pow(BackoffFactor, exponent);
        var capped = Math.Min(raw, MaxDelay.TotalMilliseconds);
        if (UseJitter)
        {
            capped = (capped / 2) + (random.NextDouble() * capped / 2);
        }

        var delay = TimeSpan.FromMilliseconds(capped);
        return retryAfter is { } asked && asked > delay ? asked : delay;
    }

    /// <summary>Validates the policy.</summary>
    /// <param name="owner">Names the step or setting that owns the policy, for the message.</param>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate(string owner)
    {
        if (MaxAttempts < 1)
        {
            throw new ArgumentException($"{owner}: RetryPolicy.MaxAttempts must be at least 1 (was {MaxAttempts}).");
        }

        if (InitialDelay < TimeSpan.Zero || MaxDelay < TimeSpan.Zero || MaxTotalDuration <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{owner}: RetryPolicy delays must not be negative and MaxTotalDuration must be positive.");
        }

        if (BackoffFactor < 1)
        {
            throw new ArgumentException($"{owner}: RetryPolicy.BackoffFactor must be at least 1 (was {BackoffFactor}).");
        }
    }
}
