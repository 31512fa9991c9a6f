using System.Text.Json;

namespace HyOpps.Workflows;

/// <summary>An execution with its input, steps, attempts, audit trail and why it is not progressing.</summary>
public sealed record ExecutionDetail
{
    /// <summary>Gets the execution id.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the workflow name.</summary>
    public required string WorkflowName { get; init; }

    /// <summary>Gets the workflow version.</summary>
    public required int WorkflowVersion { get; init; }

    /// <summary>Gets the status.</summary>
    public required ExecutionStatus Status { get; init; }

    /// <summary>Gets the input, secrets removed.</summary>
    public required JsonElement Input { get; init; }

    /// <summary>Gets the idempotency key.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Gets the labels.</summary>
    public required IReadOnlyDictionary<string, string> Labels { get; init; }

    /// <summary>Gets the id of the step that runs next or stopped the execution.</summary>
    public string? CurrentStepId { get; init; }

    /// <summary>Gets when it was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when it last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Gets when it reached a final status.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Gets the error that failed it.</summary>
    public string? Error { get; init; }

    /// <summary>Gets the type of <see cref="Error"/>.</summary>
    public string? ErrorType { get; init; }

    /// <summary>Gets when the next attempt is due, while waiting for a retry.</summary>
    public DateTimeOffset? NextRunAt { get; init; }

    /// <summary>Gets the worker holding it.</summary>
    public string? LeaseOwner { get; init; }

    /// <summary>Gets when the worker's lease expires.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>Gets a sentence saying why it is not progressing, or <see langword="null"/> when it is final.</summary>
    public string? WaitingOn { get; init; }

    /// <summary>Gets the steps in order.</summary>
    public required IReadOnlyList<StepDetail> Steps { get; init; }

    /// <summary>Gets the operator actions, oldest first.</summary>
    public required IReadOnlyList<AuditEntry> Audit { get; init; }

    /// <summary>Gets a value indicating whether the execution is final or waiting for a person.</summary>
    public bool IsSettled => Status is ExecutionStatus.Succeeded or ExecutionStatus.Failed or ExecutionStatus.Cancelled or ExecutionStatus.WaitingForApproval;

    /// <summary>Gets a step by id.</summary>
    /// <param name="stepId">The step id.</param>
    /// <returns>The step.</returns>
    /// <exception cref="KeyNotFoundException">No step has that id.</exception>
    public StepDetail GetStep(string stepId) => Steps.FirstOrDefault(s => s.Id == stepId)
        ?? throw new KeyNotFoundException($"Execution '{Id}' has no step '{stepId}'.");
}
