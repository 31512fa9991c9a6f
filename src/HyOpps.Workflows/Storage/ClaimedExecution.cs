namespace HyOpps.Workflows.Storage;

/// <summary>An execution a worker has claimed, with its steps and the latest attempt of each.</summary>
/// <param name="Execution">The row after the claim, carrying the new fencing token.</param>
/// <param name="Steps">The steps, by index.</param>
/// <param name="RunningAttempts">Attempts still marked running, left by a worker that stopped.</param>
public sealed record ClaimedExecution(ExecutionRecord Execution, IReadOnlyList<StepRecord> Steps, IReadOnlyList<AttemptRecord> RunningAttempts);
