namespace HyOpps.SampleHost.Cleanup;

/// <summary>The settings of the clean-up after cut-short onboardings (section "HyOpps:OnboardingCleanup").</summary>
public sealed class OnboardingCleanupOptions
{
    /// <summary>The configuration section bound to these options.</summary>
    public const string Section = "HyOpps:OnboardingCleanup";

    /// <summary>Gets or sets how often the host looks for onboardings that were cancelled or failed for good. The default value is 30 seconds.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets how long a failed onboarding is left for an operator to fix and retry before the host removes what it created.
    /// The default value is 1 day.
    /// </summary>
    public TimeSpan FailedGracePeriod { get; set; } = TimeSpan.FromDays(1);
}
