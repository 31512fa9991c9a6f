namespace HyOpps.Workflows;

/// <summary>
/// How long finished executions are kept; bound from <c>HyOpps:Runtime:Retention</c>. A hosted service deletes older ones,
/// with their steps, attempts and audit trail, in small batches.
/// </summary>
public sealed class HyOppsRetentionOptions
{
    /// <summary>
    /// Gets or sets a value indicating whether this host deletes expired executions. The default value is <see langword="true"/>:
    /// a store that only grows fills the disk and slows every list; the default ages are long, and <see langword="false"/> keeps everything.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets how long a succeeded execution is kept after it finished. The default value is 90 days.</summary>
    public TimeSpan SucceededAge { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Gets or sets how long a failed execution is kept after it finished. The default value is 365 days.</summary>
    public TimeSpan FailedAge { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Gets or sets how long a cancelled execution is kept after it finished. The default value is 365 days.</summary>
    public TimeSpan CancelledAge { get; set; } = TimeSpan.FromDays(365);

    /// <summary>
    /// Gets the ages of single workflows, by workflow name, overriding the ages above. A workflow named here is aged out even
    /// when no longer registered.
    /// </summary>
    public IDictionary<string, WorkflowRetentionOptions> Workflows { get; } = new Dictionary<string, WorkflowRetentionOptions>(StringComparer.Ordinal);

    /// <summary>Gets or sets the most executions deleted in one transaction. The default value is 500.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Gets or sets the time between two passes; the first runs at start-up. The default value is 1 hour.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);
}
