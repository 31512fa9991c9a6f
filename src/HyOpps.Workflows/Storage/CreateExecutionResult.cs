namespace HyOpps.Workflows.Storage;

/// <summary>The result of creating an execution.</summary>
/// <param name="Execution">The created execution, or the existing one with the same idempotency key.</param>
/// <param name="Created"><see langword="false"/> when an execution with the same idempotency key existed.</param>
public sealed record CreateExecutionResult(ExecutionRecord Execution, bool Created);
