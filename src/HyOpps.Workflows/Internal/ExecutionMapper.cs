using System.Globalization;
using System.Text.Json;
using HyOpps.Workflows.Internal.Machine;
using HyOpps.Workflows.Storage;

namespace HyOpps.Workflows.Internal;

internal static class ExecutionMapper
{
    public static ExecutionSummary ToSummary(ExecutionRecord e, WorkflowDefinition? definition) => new()
    {
        Id = e.Id,
        WorkflowName = e.WorkflowName,
        WorkflowVersion = e.WorkflowVersion,
        Status = e.Status,
        Labels = e.Labels,
        CurrentStepId = definition is not null && e.CurrentStepIndex < definition.Steps.Count ? definition.Steps[e.CurrentStepIndex].Id : null,
        CreatedAt = e.CreatedAt,
        UpdatedAt = e.UpdatedAt,
        CompletedAt = e.CompletedAt,
        NextRunAt = e.NextRunAt,
        Error = e.Error,
    };

    public static ExecutionDetail ToDetail(ExecutionSnapshot snapshot, WorkflowDefinition? definition, DateTimeOffset now)
    {
        var e = snapshot.Execution;
        var attemptsByStep = snapshot.Attempts.ToLookup(a => a.StepIndex);
        var steps = snapshot.Steps.OrderBy(s => s.Index).Select(s => new StepDetail
        {
            Id = s.StepId,
            Index = s.Index,
            DisplayName = definition?.FindStep(s.StepId)?.DisplayName ?? s.StepId,
            Status = s.Status,
            Run = s.Run,
            Output = Parse(s.Output),
            InputOverride = Parse(s.InputOverride),
            Error = s.Error,
            ErrorType = s.ErrorType,
            StartedAt = s.StartedAt,
            CompletedAt = s.CompletedAt,
            Attempts = attemptsByStep[s.Index].OrderBy(a => a.Run).ThenBy(a => a.Number).Select(a => new StepAttempt
            {
                Run = a.Run,
                Number = a.Number,
                WorkerId = a.WorkerId,
                StartedAt = a.StartedAt,
                EndedAt = a.EndedAt,
                Outcome = a.Outcome,
                Error = a.Error,
                ErrorType = a.ErrorType,
                Input = Parse(a.Input),
                Output = Parse(a.Output),
            }).ToArray(),
        }).ToArray();
        var current = e.CurrentStepIndex < steps.Length ? steps[e.CurrentStepIndex].Id : null;
        return new ExecutionDetail
        {
            Id = e.Id,
            WorkflowName = e.WorkflowName,
            WorkflowVersion = e.WorkflowVersion,
            Status = e.Status,
            Input = Parse(e.Input) ?? default,
            IdempotencyKey = e.IdempotencyKey,
            Labels = e.Labels,
            CurrentStepId = current,
            CreatedAt = e.CreatedAt,
            UpdatedAt = e.UpdatedAt,
            CompletedAt = e.CompletedAt,
            Error = e.Error,
            ErrorType = e.ErrorType,
            NextRunAt = e.NextRunAt,
            LeaseOwner = e.LeaseOwner,
            LeaseExpiresAt = e.LeaseExpiresAt,
            WaitingOn = WaitingOn(e, current, now),
            Steps = steps,
            Audit = snapshot.Audit.Select(a => new AuditEntry(a.At, a.Actor, a.Action, a.Reason, a.Detail)).ToArray(),
        };
    }

    private static string? WaitingOn(ExecutionRecord e, string? step, DateTimeOffset now)
    {
        var at = static (DateTimeOffset t) => t.ToString("u", CultureInfo.InvariantCulture);
        return e.Status switch
        {
            ExecutionStatus.Pending when e.NextRunAt is { } next && next > now && e.WaitingReason == ExecutionMachine.ScheduledReason
                => $"Scheduled for {at(next)} (first step '{step}').",
            ExecutionStatus.Pending when e.NextRunAt is { } next && next > now
                => $"Waiting to retry step '{step}' at {at(next)}. {e.WaitingReason}".TrimEnd(),
            ExecutionStatus.Pending => $"Queued for a worker (next step '{step}').",
            ExecutionStatus.Running when e.LeaseOwner is not null
                => $"Running step '{step}' on worker {e.LeaseOwner}, leased until {(e.LeaseExpiresAt is { } x ? at(x) : "?")}.",
            ExecutionStatus.Running => $"Running step '{step}'.",
            ExecutionStatus.WaitingForApproval => $"Waiting for a person to approve step '{step}': {e.WaitingReason}",
            _ => null,
        };
    }

    private static JsonElement? Parse(string? json)
    {
        if (json is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
