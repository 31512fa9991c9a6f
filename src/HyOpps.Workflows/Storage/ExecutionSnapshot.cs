namespace HyOpps.Workflows.Storage;

/// <summary>An execution with its steps, attempts and audit trail, read in one consistent view.</summary>
/// <param name="Execution">The execution row.</param>
/// <param name="Steps">The steps, by index.</param>
/// <param name="Attempts">Every attempt, oldest first.</param>
/// <param name="Audit">Every operator action, oldest first.</param>
public sealed record ExecutionSnapshot(
    ExecutionRecord Execution,
    IReadOnlyList<StepRecord> Steps,
    IReadOnlyList<AttemptRecord> Attempts,
    IReadOnlyList<AuditRecord> Audit);
