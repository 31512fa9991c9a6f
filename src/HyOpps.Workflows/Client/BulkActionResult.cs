namespace HyOpps.Workflows;

/// <summary>What a bulk action matched and, unless it was a dry run, what it changed.</summary>
public sealed record BulkActionResult
{
    /// <summary>Gets a value indicating whether nothing was changed (a preview).</summary>
    public required bool DryRun { get; init; }

    /// <summary>Gets how many executions matched the filter when the action began.</summary>
    public required int Matched { get; init; }

    /// <summary>Gets the first matching executions, newest first, for a preview.</summary>
    public required IReadOnlyList<ExecutionSummary> Sample { get; init; }

    /// <summary>Gets how many executions the action changed; 0 for a dry run.</summary>
    public int Applied { get; init; }

    /// <summary>Gets the executions the action left alone, with the reason (for example one that settled meanwhile).</summary>
    public IReadOnlyList<BulkActionSkip> Skipped { get; init; } = [];
}
