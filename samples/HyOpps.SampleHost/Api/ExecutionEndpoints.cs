using System.Text.Json;
using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Domain;
using HyOpps.SampleHost.Security;
using HyOpps.SampleHost.Workflows;
using HyOpps.Workflows;
using Microsoft.AspNetCore.Mvc;

namespace HyOpps.SampleHost.Api;

/// <summary>/api/executions: list, detail and the operator actions; a partner admin sees and acts on their own org's executions only.</summary>
internal static class ExecutionEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/executions").WithTags("Executions");
        group.MapGet("/", ListAsync).WithName("ListExecutions");
        group.MapGet("/{id}", GetAsync).WithName("GetExecution");
        group.MapPost("/{id}/retry", (string id, HttpContext http, IWorkflowClient client, CancellationToken ct)
            => ActAsync(id, http, client, (a, c) => client.RetryAsync(id, a, c), ct)).WithName("RetryExecution");
        group.MapPost("/{id}/cancel", (string id, HttpContext http, IWorkflowClient client, CancellationToken ct)
            => ActAsync(id, http, client, (a, c) => client.CancelAsync(id, a, c), ct)).WithName("CancelExecution");
        group.MapPost("/{id}/start-now", (string id, HttpContext http, IWorkflowClient client, CancellationToken ct)
            => ActAsync(id, http, client, (a, c) => client.StartNowAsync(id, a, c), ct)).WithName("StartExecutionNow");
        group.MapPost("/{id}/approve", (string id, HttpContext http, IWorkflowClient client, CancellationToken ct)
            => ActAsync(id, http, client, (a, c) => client.ApproveAsync(id, a, c), ct)).WithName("ApproveExecution");
        group.MapPost("/{id}/reject", (string id, HttpContext http, IWorkflowClient client, CancellationToken ct)
            => ActAsync(id, http, client, (a, c) => client.RejectAsync(id, a, c), ct)).WithName("RejectExecution");
        group.MapPost("/{id}/rerun", RerunAsync).WithName("RerunExecution");
        BulkEndpoints.Map(group);
    }

    private static async Task<IResult> ListAsync(
        HttpContext http,
        IWorkflowClient client,
        OrgStore orgs,
        [FromQuery(Name = "org_id")] string? orgId,
        [FromQuery(Name = "workflow")] string? workflow,
        [FromQuery(Name = "status")] string? status,
        [FromQuery(Name = "offset")] int? offset,
        [FromQuery(Name = "limit")] int? limit,
        [FromQuery(Name = "scheduled")] bool? scheduled,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var actor = http.Actor();
        var errors = new FieldErrors();
        var statuses = new List<ExecutionStatus>();
        foreach (var value in (status ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (TryParseStatus(value, out var parsed))
            {
                statuses.Add(parsed);
            }
            else
            {
                errors.Add("status", $"Unknown status '{InputRules.Shorten(value)}'; use pending, running, waiting_for_approval, succeeded, failed or cancelled.");
            }
        }

        if (workflow is not null && client.Workflows.All(w => w.Name != workflow))
        {
            errors.Add("workflow", $"Unknown workflow '{InputRules.Shorten(workflow)}'.");
        }

        if (offset is < 0)
        {
            errors.Add("offset", "The offset must not be negative.");
        }

        if (limit is < 1 or > 500)
        {
            errors.Add("limit", "The limit must be between 1 and 500.");
        }

        if (errors.Any)
        {
            throw ApiProblemException.Invalid(errors);
        }

        string? org = string.IsNullOrWhiteSpace(orgId)
            ? (actor.IsAdmin ? null : actor.OrgId)
            : (await OrgEndpoints.GetVisibleAsync(actor, orgId, orgs, cancellationToken)).Id;
        var labels = new Dictionary<string, string>();
        if (org is not null)
        {
            labels[PartnerWorkflowNames.OrgLabel] = org;
        }

        var query = new ExecutionQuery
        {
            WorkflowName = workflow,
            Statuses = statuses,
            Labels = labels,
            NextRunAfter = scheduled == true ? time.GetUtcNow() : null,
            Offset = offset ?? 0,
            Limit = limit ?? 50,
        };
        var page = await client.ListAsync(query, cancellationToken);
        return Results.Ok(new ExecutionListResponse(page.Items.Select(ExecutionSummaryResponse.From).ToArray(), page.Total, query.Offset, query.Limit));
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, IWorkflowClient client, CancellationToken cancellationToken)
        => Results.Ok(ExecutionDetailResponse.From(await GetVisibleAsync(http.Actor(), id, client, cancellationToken)));

    private static async Task<IResult> ActAsync(
        string id,
        HttpContext http,
        IWorkflowClient client,
        Func<OperatorAction, CancellationToken, Task<ExecutionDetail>> act,
        CancellationToken cancellationToken)
    {
        var actor = http.Actor();
        await GetVisibleAsync(actor, id, client, cancellationToken);
        var reason = (await ReadOptionalBodyAsync<OperatorRequest>(http, cancellationToken))?.Reason;
        CheckReason(reason);
        var detail = await act(new OperatorAction(actor.AuditName, reason), cancellationToken);
        return Results.Ok(ExecutionDetailResponse.From(detail));
    }

    private static async Task<IResult> RerunAsync(string id, RerunRequest request, HttpContext http, IWorkflowClient client, CancellationToken cancellationToken)
    {
        var actor = http.Actor();
        CheckReason(request.Reason);
        var execution = await GetVisibleAsync(actor, id, client, cancellationToken);
        if (request.InputOverride is { } inputOverride && inputOverride.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
        {
            // An override can name any org's group ids, so only admins may change what a step sees.
            if (!actor.IsAdmin)
            {
                throw ApiProblemException.Forbidden("Only an admin can re-run a step with an input override.");
            }

            if (inputOverride.ValueKind != JsonValueKind.Object)
            {
                throw ApiProblemException.Invalid("input_override", "The input override must be a JSON object.");
            }
        }

        string stepId;
        if (!string.IsNullOrWhiteSpace(request.StepId))
        {
            stepId = execution.Steps.FirstOrDefault(s => s.Id == request.StepId)?.Id
                ?? throw ApiProblemException.Invalid("step_id", $"The execution has no step '{InputRules.Shorten(request.StepId)}'; its steps are {string.Join(", ", execution.Steps.Select(s => s.Id))}.");
        }
        else if (request.StepNumber is { } number)
        {
            stepId = number >= 1 && number <= execution.Steps.Count
                ? execution.Steps[number - 1].Id
                : throw ApiProblemException.Invalid("step_number", $"The step number must be between 1 and {execution.Steps.Count}.");
        }
        else
        {
            throw ApiProblemException.Invalid("step_id", "Name the step to re-run from: step_id or step_number (1-based).");
        }

        var effectiveOverride = request.InputOverride is { ValueKind: JsonValueKind.Object } o ? o : (JsonElement?)null;
        var detail = await client.RerunFromAsync(id, stepId, new OperatorAction(actor.AuditName, request.Reason), effectiveOverride, cancellationToken);
        return Results.Ok(ExecutionDetailResponse.From(detail));
    }

    /// <summary>Returns the execution when the actor may see it: admins all, a partner admin those labelled with their org.</summary>
    internal static async Task<ExecutionDetail> GetVisibleAsync(Actor actor, string id, IWorkflowClient client, CancellationToken cancellationToken)
    {
        var detail = id.Length <= 100 ? await client.GetAsync(id, cancellationToken) : null;
        if (detail is null || !(actor.IsAdmin || (detail.Labels.TryGetValue(PartnerWorkflowNames.OrgLabel, out var org) && actor.CanSeeOrg(org))))
        {
            throw ApiProblemException.NotFound("No execution with this id.");
        }

        return detail;
    }

    // The operator actions take an optional body; an empty POST (no content type) must reach them too.
    private static async Task<T?> ReadOptionalBodyAsync<T>(HttpContext http, CancellationToken cancellationToken)
        where T : class
    {
        if (http.Request.ContentLength == 0 || (http.Request.ContentLength is null && !http.Request.Headers.ContainsKey("Transfer-Encoding")))
        {
            return null;
        }

        if (!http.Request.HasJsonContentType())
        {
            throw ApiProblemException.Invalid("body", "The body must be JSON (Content-Type: application/json), or empty.");
        }

        try
        {
            var options = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
            return await http.Request.ReadFromJsonAsync<T>(options, cancellationToken);
        }
        catch (JsonException ex)
        {
            throw ApiProblemException.Invalid(string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "body" : ex.Path.TrimStart('$', '.'), ex.Message.Split(" Path:", 2)[0]);
        }
    }

    private static void CheckReason(string? reason)
    {
        if (reason is { Length: > InputRules.MaxReasonLength })
        {
            throw ApiProblemException.Invalid("reason", $"The reason is longer than {InputRules.MaxReasonLength} characters.");
        }
    }

    internal static bool TryParseStatus(string value, out ExecutionStatus status)
    {
        var compact = value.Replace("_", string.Empty, StringComparison.Ordinal);
        return Enum.TryParse(compact, ignoreCase: true, out status) && Enum.IsDefined(status) && !int.TryParse(value, out _);
    }
}
