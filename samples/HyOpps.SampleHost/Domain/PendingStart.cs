namespace HyOpps.SampleHost.Domain;

/// <summary>
/// A workflow start the host owes a partner user: written in the same transaction as the user's record, deleted in the same
/// transaction that links the started execution to the record.
/// </summary>
public sealed record PendingStart
{
    public required string Id { get; init; }

    public required string UserId { get; init; }

    /// <summary>Gets the generation of the user record the start belongs to (a removed person added again is the next one).</summary>
    public required int Generation { get; init; }

    public required string WorkflowName { get; init; }

    /// <summary>Gets the idempotency key: a second start with it returns the execution of the first.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>Gets the workflow input as JSON, as the request built it.</summary>
    public required string Input { get; init; }

    public required IReadOnlyDictionary<string, string> Labels { get; init; }

    /// <summary>Gets who asked for the start, for the execution's audit trail.</summary>
    public required string Actor { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when the workflow may start (a scheduled onboarding), or null for at once.</summary>
    public DateTimeOffset? NotBefore { get; init; }
}
