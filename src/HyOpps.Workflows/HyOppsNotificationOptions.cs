namespace HyOpps.Workflows;

/// <summary>
/// How execution notifications are delivered; bound from <c>HyOpps:Runtime:Notifications</c>. Used only when a notifier is
/// registered (<see cref="HyOpps.NotifierHyOppsBuilderExtensions"/>).
/// </summary>
public sealed class HyOppsNotificationOptions
{
    /// <summary>
    /// Gets or sets the absolute base address of the dashboard (for example <c>https://hyopps.example.com/hyopps</c>); each
    /// notification then links to <c>{base}/executions/{id}</c>. The default value is <see langword="null"/>: no link.
    /// </summary>
    public Uri? DashboardBaseUrl { get; set; }

    /// <summary>Gets or sets the wait before a notifier that failed is called again; doubled after each failure. The default value is 30 seconds.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the longest wait between two calls of a failing notifier. The default value is 1 hour.</summary>
    public TimeSpan MaxRetryBackoff { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets the most notifications claimed and sent in one pass. The default value is 50.</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>Gets or sets how often the dispatcher looks for notifications that no in-process signal announced. The default value is 5 seconds.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets how long a claimed batch is reserved for one host before another may send it. The default value is 2 minutes.</summary>
    public TimeSpan ClaimDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Gets or sets how long one notifier call may take; a call that takes longer is cancelled, retried later like a
    /// failure, and that notifier is skipped for the rest of its batch, so that one hung channel does not hold up the
    /// others. It must be shorter than <see cref="ClaimDuration"/>. The default value is 30 seconds.
    /// </summary>
    public TimeSpan NotifierTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets how long an undelivered notification is retried before it is dropped (logged as a warning), so that a
    /// notifier that never recovers leaves no rows behind forever. The default value is 7 days.
    /// </summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(7);
}
