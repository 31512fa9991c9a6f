namespace HyOpps.Workflows.Storage;

/// <summary>Which finished executions of one workflow a retention pass deletes or counts.</summary>
public sealed record RetentionRequest
{
    /// <summary>Gets the workflow name.</summary>
    public required string WorkflowName { get; init; }

    /// <summary>Gets the status: <see cref="ExecutionStatus.Succeeded"/>, <see cref="ExecutionStatus.Failed"/> or <see cref="ExecutionStatus.Cancelled"/>.</summary>
    public required ExecutionStatus Status { get; init; }

    /// <summary>Gets the cutoff: executions that finished (their <see cref="ExecutionRecord.CompletedAt"/>, else <see cref="ExecutionRecord.UpdatedAt"/>) before it match.</summary>
    public required DateTimeOffset FinishedBefore { get; init; }

    /// <summary>Gets the most executions one delete removes, in one transaction; ignored by counts. The default value is 500.</summary>
    public int MaxCount { get; init; } = 500;

    /// <summary>Throws when the request could touch an unfinished execution or names no workflow.</summary>
    /// <exception cref="ArgumentException">The request is invalid.</exception>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(WorkflowName, nameof(WorkflowName));
        if (Status is not (ExecutionStatus.Succeeded or ExecutionStatus.Failed or ExecutionStatus.Cancelled))
        {
            throw new ArgumentException($"Retention only deletes finished executions; {nameof(Status)} was '{Status}'.", nameof(Status));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxCount, 1, nameof(MaxCount));
    }
}
