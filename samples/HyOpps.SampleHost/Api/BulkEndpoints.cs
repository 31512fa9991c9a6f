using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Domain;
using HyOpps.SampleHost.Security;
using HyOpps.SampleHost.Workflows;
using HyOpps.Workflows;

namespace HyOpps.SampleHost.Api;

/// <summary>The body of POST /api/executions/bulk/{retry|cancel|rerun}: the filter, the step to re-run from, why, and whether only to count.</summary>
public sealed record BulkRequest(
    bool? DryRun,
    string? OrgId,
    string? Workflow,
    string? Status,
    string? StepId,
    string? Email,
    DateTimeOffset? CreatedFrom,
    DateTimeOffset? CreatedTo,
    string? RerunStepId,
    string? Reason);

/// <summary>An execution a bulk action left alone, and why.</summary>
public sealed record BulkSkipResponse(string ExecutionId, string Reason);

/// <summary>What a bulk action matched and changed.</summary>
public sealed record BulkResponse(bool DryRun, int Matched, int Applied, IReadOnlyList<ExecutionSummaryResponse> Sample, IReadOnlyList<BulkSkipResponse> Skipped);

/// <summary>/api/executions/bulk/...: retry, cancel or re-run every execution a filter matches, in the caller's scope, with a dry run.</summary>
internal static class BulkEndpoints
{
    public static void Map(RouteGroupBuilder executions)
    {
        executions.MapPost("/bulk/retry", (BulkRequest request, HttpContext http, IWorkflowClient client, OrgStore orgs, CancellationToken ct)
            => BulkAsync("retry", request, http, client, orgs, ct)).WithName("BulkRetryExecutions");
        executions.MapPost("/bulk/cancel", (BulkRequest request, HttpContext http, IWorkflowClient client, OrgStore orgs, CancellationToken ct)
            => BulkAsync("cancel", request, http, client, orgs, ct)).WithName("BulkCancelExecutions");
        executions.MapPost("/bulk/rerun", (BulkRequest request, HttpContext http, IWorkflowClient client, OrgStore orgs, CancellationToken ct)
            => BulkAsync("rerun", request, http, client, orgs, ct)).WithName("BulkRerunExecutions");
    }

    private static async Task<IResult> BulkAsync(string kind, BulkRequest request, HttpContext http, IWorkflowClient client, OrgStore orgs, CancellationToken cancellationToken)
    {
        var actor = http.Actor();
        var errors = new FieldErrors();
        if (request.DryRun is null)
        {
            errors.Add("dry_run", "Say whether only to count (dry_run: true) or to act (dry_run: false).");
        }

        ExecutionStatus? status = null;
        if (!string.IsNullOrWhiteSpace(request.Status))
        {
            if (ExecutionEndpoints.TryParseStatus(request.Status.Trim(), out var parsed))
            {
                status = parsed;
            }
            else
            {
                errors.Add("status", $"Unknown status '{InputRules.Shorten(request.Status)}'; use pending, running, waiting_for_approval, succeeded, failed or cancelled.");
            }
        }

        if (request.Workflow is not null && client.Workflows.All(w => w.Name != request.Workflow))
        {
            errors.Add("workflow", $"Unknown workflow '{InputRules.Shorten(request.Workflow)}'.");
        }

        if (kind == "rerun" && string.IsNullOrWhiteSpace(request.RerunStepId))
        {
            errors.Add("rerun_step_id", "Name the step to re-run from.");
        }

        if (request.Reason is { Length: > InputRules.MaxReasonLength })
        {
            errors.Add("reason", $"The reason is longer than {InputRules.MaxReasonLength} characters.");
        }

        if (errors.Any)
        {
            throw ApiProblemException.Invalid(errors);
        }

        // A partner admin acts on their own org only, whatever the body says; another org's id answers 404 like an unknown one.
        var org = string.IsNullOrWhiteSpace(request.OrgId)
            ? (actor.IsAdmin ? null : actor.OrgId)
            : (await OrgEndpoints.GetVisibleAsync(actor, request.OrgId, orgs, cancellationToken)).Id;
        var labels = new Dictionary<string, string>();
        if (org is not null)
        {
            labels[PartnerWorkflowNames.OrgLabel] = org;
        }

        if (!string.IsNullOrWhiteSpace(request.Email))
        {
            labels[PartnerWorkflowNames.EmailLabel] = InputRules.NormalizeEmail(request.Email);
        }

        var filter = new ExecutionQuery
        {
            WorkflowName = request.Workflow,
            Statuses = status is { } s ? [s] : [],
            CurrentStepId = string.IsNullOrWhiteSpace(request.StepId) ? null : request.StepId.Trim(),
            Labels = labels,
            CreatedFrom = request.CreatedFrom,
            CreatedTo = request.CreatedTo,
        };
        var action = new OperatorAction(actor.AuditName, request.Reason);
        var dryRun = request.DryRun!.Value;
        BulkActionResult result;
        try
        {
            result = kind switch
            {
                "cancel" => await client.BulkCancelAsync(filter, action, dryRun, cancellationToken: cancellationToken),
                "rerun" => await client.BulkRerunFromAsync(filter, request.RerunStepId!.Trim(), action, dryRun, cancellationToken: cancellationToken),
                _ => await client.BulkRetryAsync(filter, action, dryRun, cancellationToken: cancellationToken),
            };
        }
        catch (ArgumentException ex)
        {
            throw ApiProblemException.Invalid("filter", ex.Message.Split(" (Parameter", 2)[0]);
        }

        return Results.Ok(new BulkResponse(
            result.DryRun,
            result.Matched,
            result.Applied,
            result.Sample.Select(ExecutionSummaryResponse.From).ToArray(),
            result.Skipped.Select(s => new BulkSkipResponse(s.ExecutionId, s.Reason)).ToArray()));
    }
}
