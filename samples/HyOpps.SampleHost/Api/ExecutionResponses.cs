using System.Text.Json;
using HyOpps.Workflows;

namespace HyOpps.SampleHost.Api;

/// <summary>An execution in a list.</summary>
public sealed record ExecutionSummaryResponse(
    string Id,
    string WorkflowName,
    int WorkflowVersion,
    ExecutionStatus Status,
    IReadOnlyDictionary<string, string> Labels,
    string? CurrentStepId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CompletedAt,
    double? DurationMs,
    string? Error)
{
    public static ExecutionSummaryResponse From(ExecutionSummary e) => new(e.Id, e.WorkflowName, e.WorkflowVersion, e.Status, e.Labels, e.CurrentStepId,
        e.CreatedAt, e.UpdatedAt, e.CompletedAt, e.Duration?.TotalMilliseconds, e.Error);
}

/// <summary>A page of executions.</summary>
public sealed record ExecutionListResponse(IReadOnlyList<ExecutionSummaryResponse> Items, int Total, int Offset, int Limit);

/// <summary>One attempt at a step.</summary>
public sealed record StepAttemptResponse(int Run, int Number, AttemptOutcome Outcome, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, double? DurationMs, string? Error, string? ErrorType, JsonElement? Output)
{
    public static StepAttemptResponse From(StepAttempt a) => new(a.Run, a.Number, a.Outcome, a.StartedAt, a.EndedAt, a.Duration?.TotalMilliseconds, a.Error, a.ErrorType, a.Output);
}

/// <summary>A step of an execution, with every attempt.</summary>
public sealed record StepResponse(
    int Number,
    string Id,
    string DisplayName,
    StepStatus Status,
    int Run,
    JsonElement? Output,
    JsonElement? InputOverride,
    string? Error,
    string? ErrorType,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    double? DurationMs,
    IReadOnlyList<StepAttemptResponse> Attempts)
{
    public static StepResponse From(StepDetail s) => new(s.Index + 1, s.Id, s.DisplayName, s.Status, s.Run, s.Output, s.InputOverride, s.Error, s.ErrorType,
        s.StartedAt, s.CompletedAt, (s.CompletedAt - s.StartedAt)?.TotalMilliseconds, s.Attempts.Select(StepAttemptResponse.From).ToArray());
}

/// <summary>An audit entry: who did what to the execution, and when.</summary>
public sealed record AuditResponse(DateTimeOffset At, string Actor, string Action, string? Reason, string? Detail)
{
    public static AuditResponse From(AuditEntry a) => new(a.At, a.Actor, a.Action, a.Reason, a.Detail);
}

/// <summary>An execution with its input, steps, attempts, outputs, errors, what it waits on, and its audit trail.</summary>
public sealed record ExecutionDetailResponse(
    string Id,
    string WorkflowName,
    int WorkflowVersion,
    ExecutionStatus Status,
    IReadOnlyDictionary<string, string> Labels,
    JsonElement Input,
    string? CurrentStepId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CompletedAt,
    string? Error,
    string? ErrorType,
    string? WaitingOn,
    DateTimeOffset? NextRunAt,
    IReadOnlyList<StepResponse> Steps,
    IReadOnlyList<AuditResponse> Audit)
{
    public static ExecutionDetailResponse From(ExecutionDetail e) => new(e.Id, e.WorkflowName, e.WorkflowVersion, e.Status, e.Labels, e.Input, e.CurrentStepId,
        e.CreatedAt, e.UpdatedAt, e.CompletedAt, e.Error, e.ErrorType, e.WaitingOn, e.NextRunAt,
        e.Steps.Select(StepResponse.From).ToArray(), e.Audit.Select(AuditResponse.From).ToArray());
}
