namespace HyOpps.Workflows;

/// <summary>The numbers an overview page shows: counts by workflow and status, the steps failing most, starts per hour and the backlog.</summary>
public sealed record ExecutionOverview
{
    /// <summary>Gets how many executions there are of each workflow in each status, ordered by workflow then status.</summary>
    public required IReadOnlyList<ExecutionCount> Counts { get; init; }

    /// <summary>Gets the steps at which the most executions failed in the window, most first, each with its most common error.</summary>
    public required IReadOnlyList<FailingStep> FailingSteps { get; init; }

    /// <summary>Gets how many executions were created in each hour of the window, oldest hour first; the last hour is the current one.</summary>
    public required IReadOnlyList<HourlyCount> StartsPerHour { get; init; }

    /// <summary>Gets how many executions are due (pending or running, their due time passed) and not claimed by a live worker.</summary>
    public required int DueCount { get; init; }

    /// <summary>Gets the earliest due time among the due executions, or <see langword="null"/> when none is due.</summary>
    public DateTimeOffset? OldestDueAt { get; init; }
}
