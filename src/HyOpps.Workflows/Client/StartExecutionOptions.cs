namespace HyOpps.Workflows;

/// <summary>Options for starting an execution.</summary>
public sealed record StartExecutionOptions
{
    /// <summary>Gets a key that makes the start idempotent: a second start with the same workflow and key returns the first execution.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Gets labels to filter executions by (for example <c>org</c>).</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>Gets the definition version to run, or <see langword="null"/> for the highest registered.</summary>
    public int? Version { get; init; }

    /// <summary>Gets who started it, for the audit trail. The default value is <c>system</c>.</summary>
    public string Actor { get; init; } = "system";
}
