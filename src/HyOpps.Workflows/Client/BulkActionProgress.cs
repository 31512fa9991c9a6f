namespace HyOpps.Workflows;

/// <summary>How far a bulk action has come: reported after each execution it changed or skipped.</summary>
/// <param name="Matched">How many executions matched when the action began.</param>
/// <param name="Applied">How many it has changed so far.</param>
/// <param name="Skipped">How many it has left alone so far (for example one that settled meanwhile).</param>
public sealed record BulkActionProgress(int Matched, int Applied, int Skipped);
