namespace HyOpps.Workflows;

/// <summary>Filters and paging for listing executions; newest first.</summary>
public sealed record ExecutionQuery
{
    /// <summary>Gets the workflow name to match, or <see langword="null"/> for any.</summary>
    public string? WorkflowName { get; init; }

    /// <summary>Gets the statuses to match, or empty for any.</summary>
    public IReadOnlyCollection<ExecutionStatus> Statuses { get; init; } = [];

    /// <summary>Gets labels that must all match (for example <c>org</c> = <c>42</c>).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets a value one of a match's labels must have, whatever its key (for example an email the operator searches for), or <see langword="null"/> for any.</summary>
    public string? AnyLabelValue { get; init; }

    /// <summary>Gets the lower bound (inclusive) of the creation time.</summary>
    public DateTimeOffset? CreatedFrom { get; init; }

    /// <summary>Gets the upper bound (exclusive) of the creation time.</summary>
    public DateTimeOffset? CreatedTo { get; init; }

    /// <summary>Gets the id of the step a match runs next or stopped at (with <see cref="ExecutionStatus.Failed"/>: the failed step), or <see langword="null"/> for any.</summary>
    public string? CurrentStepId { get; init; }

    /// <summary>Gets a time after which (exclusive) a match's next run must be: set to now to find the executions scheduled for later.</summary>
    public DateTimeOffset? NextRunAfter { get; init; }

    /// <summary>Gets how many matches to skip. The default value is 0.</summary>
    public int Offset { get; init; }

    /// <summary>Gets the page size, 1 to 500. The default value is 50.</summary>
    public int Limit { get; init; } = 50;
}
