namespace HyOpps.Workflows;

/// <summary>No execution has the given id.</summary>
public sealed class ExecutionNotFoundException : HyOppsException
{
    /// <summary>Initializes a new instance of the <see cref="ExecutionNotFoundException"/> class.</summary>
    /// <param name="executionId">The id that was not found.</param>
    public ExecutionNotFoundException(string executionId)
        : base($"Execution '{executionId}' was not found.")
        => ExecutionId = executionId;

    /// <summary>Gets the id that was not found.</summary>
    public string ExecutionId { get; }
}
