namespace HyOpps.Workflows;

/// <summary>The ages of one workflow's finished executions; an unset age falls back to <see cref="HyOppsRetentionOptions"/>.</summary>
public sealed class WorkflowRetentionOptions
{
    /// <summary>Gets or sets how long a succeeded execution is kept after it finished.</summary>
    public TimeSpan? SucceededAge { get; set; }

    /// <summary>Gets or sets how long a failed execution is kept after it finished.</summary>
    public TimeSpan? FailedAge { get; set; }

    /// <summary>Gets or sets how long a cancelled execution is kept after it finished.</summary>
    public TimeSpan? CancelledAge { get; set; }
}
