using HyOpps.Workflows;

namespace HyOpps.SampleHost.Workflows;

/// <summary>The retry policies of the sample's workflows: realistic with real services, quick in sandbox mode.</summary>
public sealed record WorkflowTimings
{
    /// <summary>Gets the policy of ordinary integration steps.</summary>
    public required RetryPolicy Default { get; init; }

    /// <summary>Gets the policy of steps that wait for an invited person's account to appear (Slack, Atlassian): about 12 looks.</summary>
    public required RetryPolicy AccountWait { get; init; }

    /// <summary>Gets the policy of the Teams membership step, which retries while Graph does not know the new guest yet.</summary>
    public required RetryPolicy TeamsVisibility { get; init; }

    /// <summary>Applies the timings to the onboarding workflows.</summary>
    public void ApplyTo(HyOpps.Onboarding.PartnerOnboardingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.DefaultRetryPolicy = Default;
        options.AccountWaitRetryPolicy = AccountWait;
        options.TeamsVisibilityRetryPolicy = TeamsVisibility;
    }

    /// <summary>Gets the timings for real services.</summary>
    public static WorkflowTimings Real { get; } = new()
    {
        Default = new RetryPolicy { MaxAttempts = 5, InitialDelay = TimeSpan.FromSeconds(2), MaxDelay = TimeSpan.FromMinutes(1), MaxTotalDuration = TimeSpan.FromMinutes(15) },
        AccountWait = new RetryPolicy { MaxAttempts = 12, InitialDelay = TimeSpan.FromSeconds(5), BackoffFactor = 1.5, MaxDelay = TimeSpan.FromMinutes(2), MaxTotalDuration = TimeSpan.FromMinutes(30) },
        TeamsVisibility = new RetryPolicy { MaxAttempts = 20, InitialDelay = TimeSpan.FromSeconds(5), BackoffFactor = 1.5, MaxDelay = TimeSpan.FromMinutes(1), MaxTotalDuration = TimeSpan.FromMinutes(20) },
    };

    /// <summary>Gets the timings for the simulators, whose eventual consistency takes milliseconds.</summary>
    public static WorkflowTimings Sandbox { get; } = new()
    {
        Default = new RetryPolicy { MaxAttempts = 3, InitialDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(200), MaxTotalDuration = TimeSpan.FromMinutes(1) },
        AccountWait = new RetryPolicy { MaxAttempts = 12, InitialDelay = TimeSpan.FromMilliseconds(50), BackoffFactor = 1.5, MaxDelay = TimeSpan.FromMilliseconds(500), MaxTotalDuration = TimeSpan.FromMinutes(2) },
        TeamsVisibility = new RetryPolicy { MaxAttempts = 20, InitialDelay = TimeSpan.FromMilliseconds(50), BackoffFactor = 1.5, MaxDelay = TimeSpan.FromMilliseconds(500), MaxTotalDuration = TimeSpan.FromMinutes(2) },
    };
}
