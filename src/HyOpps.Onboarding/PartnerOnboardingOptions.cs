namespace HyOpps.Onboarding;

/// <summary>Configures the partner onboarding workflows: retry policies and the host's own steps around the integrations.</summary>
public sealed class PartnerOnboardingOptions
{
    /// <summary>Gets or sets the policy of ordinary integration steps. The default value is 5 attempts within 15 minutes.</summary>
    public RetryPolicy DefaultRetryPolicy { get; set; } = new()
    {
        MaxAttempts = 5,
        InitialDelay = TimeSpan.FromSeconds(2),
        MaxDelay = TimeSpan.FromMinutes(1),
        MaxTotalDuration = TimeSpan.FromMinutes(15),
    };

    /// <summary>
    /// Gets or sets the policy of the steps that wait for an invited person's account to appear (Slack, Atlassian).
    /// The default value is 12 attempts within 30 minutes.
    /// </summary>
    public RetryPolicy AccountWaitRetryPolicy { get; set; } = new()
    {
        MaxAttempts = 12,
        InitialDelay = TimeSpan.FromSeconds(5),
        BackoffFactor = 1.5,
        MaxDelay = TimeSpan.FromMinutes(2),
        MaxTotalDuration = TimeSpan.FromMinutes(30),
    };

    /// <summary>
    /// Gets or sets the policy of the Teams membership step, which retries while Graph does not know the new guest yet.
    /// The default value is 20 attempts within 20 minutes.
    /// </summary>
    public RetryPolicy TeamsVisibilityRetryPolicy { get; set; } = new()
    {
        MaxAttempts = 20,
        InitialDelay = TimeSpan.FromSeconds(5),
        BackoffFactor = 1.5,
        MaxDelay = TimeSpan.FromMinutes(1),
        MaxTotalDuration = TimeSpan.FromMinutes(20),
    };

    /// <summary>Gets or sets the host's steps that run before the integrations of <c>new_partner_user</c> (validation, the host's own record).</summary>
    public Action<WorkflowBuilder>? BeforeOnboarding { get; set; }

    /// <summary>Gets or sets the host's steps that run once every integration of <c>new_partner_user</c> is done (marking the person active).</summary>
    public Action<WorkflowBuilder>? AfterOnboarding { get; set; }

    /// <summary>Gets or sets the host's steps that run once every integration of <c>remove_partner_user</c> is done.</summary>
    public Action<WorkflowBuilder>? AfterOffboarding { get; set; }
}
