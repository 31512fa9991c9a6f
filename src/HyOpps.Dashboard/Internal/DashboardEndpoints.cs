using System.Globalization;
using HyOpps.Workflows;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;

namespace HyOpps.Dashboard.Internal;

/// <summary>The dashboard's endpoints for one mount: pages, action posts and the stylesheet.</summary>
internal sealed partial class DashboardEndpoints(HyOppsDashboardOptions options, RoutePattern prefix)
{
    public const int MaxReasonLength = 1000;

    public const int MaxSearchLength = 500;

    private const string ExecutionIdParameter = "hyoppsExecutionId";

    private static readonly Dictionary<string, string> DoneMessages = new(StringComparer.Ordinal)
    {
        ["retry"] = "Retry requested: the failed step runs again.",
        ["rerun"] = "Re-run requested.",
        ["cancel"] = "Execution cancelled.",
        ["start-now"] = "Started now instead of at its scheduled time.",
        ["approve"] = "Step approved.",
        ["reject"] = "Step rejected.",
    };

    public void Map(RouteGroupBuilder group)
    {
        // Delegate handlers (not RequestDelegate) so endpoint filters the host adds to the group run too. They take only
        // HttpContext: no parameter binds from the form, so no antiforgery metadata is inferred and the host's
        // antiforgery middleware (if any) leaves validation to ActAsync, which does it explicitly.
        const string execution = "/executions/{" + ExecutionIdParameter + "}";
        group.MapGet("/", (Delegate)((HttpContext c) => ListAsync(c))).WithDisplayName("HyOpps dashboard: executions");
        group.MapGet("/dashboard.css", (Delegate)((HttpContext c) => DashboardStylesheet.WriteAsync(c))).WithDisplayName("HyOpps dashboard: stylesheet");
        MapBulk(group);
        MapOverview(group);
        group.MapGet("/scheduled", (Delegate)((HttpContext c) => ScheduledAsync(c))).WithDisplayName("HyOpps dashboard: scheduled executions");
        group.MapGet(execution, (Delegate)((HttpContext c) => DetailAsync(c))).WithDisplayName("HyOpps dashboard: execution");
        group.MapGet(execution + "/rerun", (Delegate)((HttpContext c) => ConfirmRerunAsync(c))).WithDisplayName("HyOpps dashboard: confirm re-run");
        foreach (var action in DoneMessages.Keys)
        {
            group.MapPost(execution + "/" + action, (Delegate)((HttpContext c) => ActAsync(c, action))).WithDisplayName("HyOpps dashboard: " + action);
        }
    }

    private async Task ListAsync(HttpContext context)
    {
        var request = new DashboardRequest(context, options, prefix);
        var (filter, error) = ReadFilter(context.Request.Query);
        var list = new ExecutionList([], 0);
        if (error is null && DashboardScope.Narrow(request.Scope, filter.Labels) is { } labels)
        {
            var pageSize = Math.Clamp(options.PageSize, 1, 500);
            list = await request.Client.ListAsync(
                new ExecutionQuery
                {
                    WorkflowName = string.IsNullOrEmpty(filter.Workflow) ? null : filter.Workflow,
                    Statuses = filter.Status is { } status ? [status] : [],
                    Labels = labels,
                    CurrentStepId = filter.Step,
                    AnyLabelValue = filter.Search,
                    Offset = (filter.Page - 1) * pageSize,
                    Limit = pageSize,
                },
                context.RequestAborted).ConfigureAwait(false);
            await request.DescribeLabelsAsync(list.Items.Select(e => e.Labels)).ConfigureAwait(false);
        }

        await WriteHtmlAsync(context, error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest, ExecutionListPage.Render(request, filter, list, error)).ConfigureAwait(false);
    }

    private async Task ScheduledAsync(HttpContext context)
    {
        var request = new DashboardRequest(context, options, prefix);
        var list = new ExecutionList([], 0);
        if (DashboardScope.Narrow(request.Scope, new Dictionary<string, string>()) is { } labels)
        {
            // Soonest first, which the store's newest-first order is not: the page holds at most 500, sorted here.
            list = await request.Client.ListAsync(
                new ExecutionQuery { Statuses = [ExecutionStatus.Pending], NextRunAfter = request.Now, Labels = labels, Limit = 500 },
                context.RequestAborted).ConfigureAwait(false);
            await request.DescribeLabelsAsync(list.Items.Select(e => e.Labels)).ConfigureAwait(false);
        }

        await WriteHtmlAsync(context, StatusCodes.Status200OK, ScheduledPage.Render(request, list)).ConfigureAwait(false);
    }

    private async Task DetailAsync(HttpContext context)
    {
        var request = new DashboardRequest(context, options, prefix);
        var detail = await request.LoadExecutionAsync(ExecutionId(context)).ConfigureAwait(false);
        if (detail is null)
        {
            await NotFoundAsync(request).ConfigureAwait(false);
            return;
        }

        var done = context.Request.Query["done"].ToString();
        await WriteHtmlAsync(context, StatusCodes.Status200OK, ExecutionDetailPage.Render(request, detail, DoneMessages.GetValueOrDefault(done), null)).ConfigureAwait(false);
    }

    private async Task ConfirmRerunAsync(HttpContext context)
    {
        var request = new DashboardRequest(context, options, prefix);
        if (!request.CanOperate)
        {
            await ForbiddenAsync(request).ConfigureAwait(false);
            return;
        }

        var detail = await request.LoadExecutionAsync(ExecutionId(context)).ConfigureAwait(false);
        if (detail is null)
        {
            await NotFoundAsync(request).ConfigureAwait(false);
            return;
        }

        var stepId = context.Request.Query["step"].ToString();
        var step = detail.Steps.FirstOrDefault(s => s.Id == stepId);
        if (step is null)
        {
            await WriteHtmlAsync(context, StatusCodes.Status400BadRequest, MessagePage.Render(request, "Unknown step", $"Execution '{detail.Id}' has no step '{stepId}'.")).ConfigureAwait(false);
            return;
        }

        await WriteHtmlAsync(context, StatusCodes.Status200OK, RerunConfirmationPage.Render(request, detail, step, null)).ConfigureAwait(false);
    }

    /// <summary>The posted form of an operator action, or null once the refusal (no operator, an expired form) has been written.</summary>
    private async Task<IFormCollection?> ReadOperatorFormAsync(DashboardRequest request)
    {
        var context = request.Context;
        if (!request.CanOperate)
        {
            await ForbiddenAsync(request).ConfigureAwait(false);
            return null;
        }

        try
        {
            await context.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(context).ConfigureAwait(false);
        }
        catch (AntiforgeryValidationException)
        {
            await WriteHtmlAsync(context, StatusCodes.Status400BadRequest, MessagePage.Render(request, "Form expired", "The form's security token is missing or invalid. Reload the page and try again.")).ConfigureAwait(false);
            return null;
        }

        return await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private async Task ActAsync(HttpContext context, string action)
    {
        var request = new DashboardRequest(context, options, prefix);
        if (await ReadOperatorFormAsync(request).ConfigureAwait(false) is not { } form)
        {
            return;
        }

        var detail = await request.LoadExecutionAsync(ExecutionId(context)).ConfigureAwait(false);
        if (detail is null)
        {
            await NotFoundAsync(request).ConfigureAwait(false);
            return;
        }

        var reason = form["reason"].ToString().Trim();
        if (reason.Length > MaxReasonLength)
        {
            await WriteHtmlAsync(context, StatusCodes.Status400BadRequest, ExecutionDetailPage.Render(request, detail, null, $"The reason is longer than {MaxReasonLength} characters.")).ConfigureAwait(false);
            return;
        }

        var operatorAction = new OperatorAction(ActorOf(context), reason.Length == 0 ? null : reason);
        var client = request.Client;
        var ct = context.RequestAborted;
        try
        {
            switch (action)
            {
                case "retry":
                    await client.RetryAsync(detail.Id, operatorAction, ct).ConfigureAwait(false);
                    break;
                case "rerun":
                    var stepId = form["step"].ToString();
                    var step = detail.Steps.FirstOrDefault(s => s.Id == stepId);
                    if (step is null)
                    {
                        await WriteHtmlAsync(context, StatusCodes.Status400BadRequest, MessagePage.Render(request, "Unknown step", $"Execution '{detail.Id}' has no step '{stepId}'.")).ConfigureAwait(false);
                        return;
                    }

                    if (!string.Equals(form["confirm"].ToString(), "yes", StringComparison.Ordinal))
                    {
                        await WriteHtmlAsync(context, StatusCodes.Status400BadRequest, RerunConfirmationPage.Render(request, detail, step, "Tick the box to confirm the re-run.")).ConfigureAwait(false);
                        return;
                    }

                    await client.RerunFromAsync(detail.Id, step.Id, operatorAction, cancellationToken: ct).ConfigureAwait(false);
                    break;
                case "cancel":
                    await client.CancelAsync(detail.Id, operatorAction, ct).ConfigureAwait(false);
                    break;
                case "start-now":
                    await client.StartNowAsync(detail.Id, operatorAction, ct).ConfigureAwait(false);
                    break;
                case "approve":
                case "reject":
                    // The form names the step it showed; refuse when another step is waiting by now, so a stale page cannot decide it.
                    if (form["step"] is { Count: > 0 } shown && !string.Equals(shown.ToString(), detail.CurrentStepId, StringComparison.Ordinal))
                    {
                        throw new ExecutionStateException($"Step '{shown}' is no longer waiting for approval; reload the page.");
                    }

                    await (action == "approve"
                        ? client.ApproveAsync(detail.Id, operatorAction, ct)
                        : client.RejectAsync(detail.Id, operatorAction, ct)).ConfigureAwait(false);
                    break;
            }
        }
        catch (ExecutionStateException ex)
        {
            var current = await request.LoadExecutionAsync(detail.Id).ConfigureAwait(false) ?? detail;
            await WriteHtmlAsync(context, StatusCodes.Status409Conflict, ExecutionDetailPage.Render(request, current, null, ex.Message)).ConfigureAwait(false);
            return;
        }
        catch (ExecutionNotFoundException)
        {
            await NotFoundAsync(request).ConfigureAwait(false);
            return;
        }

        // Post/redirect/get: a reload of the result page does not repeat the action.
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.Response.Headers.Location = request.ExecutionUrl(detail.Id) + "?done=" + action;
    }

    private string ActorOf(HttpContext context)
    {
        var actor = options.GetActor(context);
        return string.IsNullOrWhiteSpace(actor) ? "anonymous" : actor;
    }

    private static string ExecutionId(HttpContext context)
        => Convert.ToString(context.Request.RouteValues[ExecutionIdParameter], CultureInfo.InvariantCulture) ?? string.Empty;

    private static (ListFilter Filter, string? Error) ReadFilter(IQueryCollection query)
    {
        var errors = new List<string>();
        var statusText = query["status"].ToString();
        ExecutionStatus? status = null;
        if (statusText.Length > 0)
        {
            if (Enum.TryParse<ExecutionStatus>(statusText, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !char.IsDigit(statusText[0]))
            {
                status = parsed;
            }
            else
            {
                errors.Add($"Unknown status '{statusText}'; use one of {string.Join(", ", Enum.GetNames<ExecutionStatus>())}.");
            }
        }

        var labelTexts = new List<string>();
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var text in query["label"].Select(l => l?.Trim() ?? string.Empty).Where(l => l.Length > 0))
        {
            labelTexts.Add(text);
            var equals = text.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                errors.Add($"The label filter '{text}' is not of the form key=value (for example org=42).");
                continue;
            }

            var key = text[..equals].Trim();
            var value = text[(equals + 1)..].Trim();
            if (labels.TryGetValue(key, out var other) && other != value)
            {
                errors.Add($"The label '{key}' is filtered twice with different values.");
                continue;
            }

            labels[key] = value;
        }

        var page = 1;
        if (query["page"] is { Count: > 0 } pageText
            && (!int.TryParse(pageText.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out page) || page is < 1 or > 1_000_000))
        {
            errors.Add($"The page '{pageText}' is not a number from 1 to 1000000.");
            page = 1;
        }

        var workflow = query["workflow"].ToString().Trim();
        var step = query["step"].ToString().Trim();
        var search = query["q"].ToString().Trim();
        if (search.Length > MaxSearchLength)
        {
            errors.Add($"The label value to search for (q) is longer than {MaxSearchLength} characters.");
            search = string.Empty;
        }

        var filter = new ListFilter
        {
            Workflow = workflow.Length == 0 ? null : workflow,
            Step = step.Length == 0 ? null : step,
            Search = search.Length == 0 ? null : search,
            Status = status,
            StatusText = statusText,
            LabelTexts = labelTexts,
            Labels = labels,
            Page = page,
        };
        return (filter, errors.Count == 0 ? null : string.Join(' ', errors));
    }

    private Task NotFoundAsync(DashboardRequest request)
        => WriteHtmlAsync(request.Context, StatusCodes.Status404NotFound, MessagePage.Render(request, "Execution not found", "There is no such execution, or you may not see it."));

    private Task ForbiddenAsync(DashboardRequest request)
        => WriteHtmlAsync(request.Context, StatusCodes.Status403Forbidden, MessagePage.Render(request, "Not allowed", "You may view executions but not retry, re-run, cancel, approve or reject them."));

    private async Task WriteHtmlAsync(HttpContext context, int statusCode, string html)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = "text/html; charset=utf-8";
        var headers = response.Headers;
        headers.CacheControl = "no-store";
        headers.XContentTypeOptions = "nosniff";
        TrySet(headers, "Referrer-Policy", "same-origin");
        TrySet(headers, "X-Frame-Options", "DENY");

        // Outputs may hold attacker text; should encoding ever miss, the policy still refuses to run script.
        TrySet(headers, "Content-Security-Policy", ContentSecurityPolicy(options.StylesheetUrl));
        await response.WriteAsync(html, context.RequestAborted).ConfigureAwait(false);
    }

    internal static string ContentSecurityPolicy(string? stylesheetUrl)
    {
        var extra = Uri.TryCreate(stylesheetUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? " " + uri.GetLeftPart(UriPartial.Authority)
            : string.Empty;
        return $"default-src 'self'; script-src 'none'; object-src 'none'; style-src 'self'{extra}; img-src 'self' data:{extra}; font-src 'self'{extra}; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    }

    private static void TrySet(IHeaderDictionary headers, string name, StringValues value)
    {
        if (!headers.ContainsKey(name))
        {
            headers[name] = value;
        }
    }
}
