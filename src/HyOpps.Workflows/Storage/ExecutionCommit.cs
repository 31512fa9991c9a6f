namespace HyOpps.Workflows.Storage;

/// <summary>One atomic change of an execution: its new row, the steps and attempts to upsert, audit entries and notification events to add.</summary>
/// <remarks>
/// A worker's commit is guarded by <see cref="ExpectedFencingToken"/>: it applies only while the worker's claim is the
/// latest. An operator's commit is guarded by <see cref="ExpectedVersion"/>. A store applies all of it or nothing and
/// increments the row version.
/// </remarks>
public sealed record ExecutionCommit
{
    /// <summary>Gets the new execution row; its <see cref="ExecutionRecord.Version"/> and fencing token are ignored.</summary>
    public required ExecutionRecord Execution { get; init; }

    /// <summary>Gets the fencing token the row must still have, for a worker's commit.</summary>
    public long? ExpectedFencingToken { get; init; }

    /// <summary>Gets the version the row must still have, for an operator's commit.</summary>
    public long? ExpectedVersion { get; init; }

    /// <summary>Gets a value indicating whether the commit revokes any lease (increments the fencing token).</summary>
    public bool RevokeLease { get; init; }

    /// <summary>Gets the steps to insert or replace, keyed by execution id and index.</summary>
    public IReadOnlyList<StepRecord> Steps { get; init; } = [];

    /// <summary>Gets the attempts to insert or replace, keyed by execution id, step index, run and number.</summary>
    public IReadOnlyList<AttemptRecord> Attempts { get; init; } = [];

    /// <summary>Gets the audit entries to add.</summary>
    public IReadOnlyList<AuditRecord> Audit { get; init; } = [];

    /// <summary>Gets the notification events to add to the outbox, in the same transaction; one whose event id is there already is ignored.</summary>
    public IReadOnlyList<NotificationRecord> Notifications { get; init; } = [];
}
