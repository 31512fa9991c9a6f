using HyOpps.Workflows;

namespace HyOpps.Dashboard.Internal;

/// <summary>Renders the bulk action page: the filter, then the preview and its confirmation, or the result.</summary>
internal static class BulkPage
{
    public static string Render(DashboardRequest request, BulkFilter filter, BulkActionResult? preview, BulkActionResult? result, string? error)
    {
        var html = new HtmlBuilder();
        html.Append($"<h1>Bulk action</h1>\n{Layout.Notice(null, error)}");
        if (result is not null)
        {
            Result(html, request, filter, result);
            return Layout.Render(request, "Bulk action", html.ToMarkup());
        }

        Form(html, request, filter);
        if (preview is not null)
        {
            Preview(html, request, filter, preview);
        }

        return Layout.Render(request, "Bulk action", html.ToMarkup());
    }

    /// <summary>Renders a confirmed action: its progress while it runs (the page reloads itself), then its result.</summary>
    public static string RenderJob(DashboardRequest request, BulkJob job)
    {
        var html = new HtmlBuilder();
        html.Append($"<h1>Bulk action</h1>\n");
        if (job.Result is { } result)
        {
            Result(html, request, job.Filter, result);
            return Layout.Render(request, "Bulk action", html.ToMarkup());
        }

        if (job.Error is { } error)
        {
            html.Append($"{Layout.Notice(null, error)}<p><a href=\"{request.ListUrl}\">Back to the executions</a></p>\n");
            return Layout.Render(request, "Bulk action", html.ToMarkup());
        }

        var progress = job.Progress ?? new BulkActionProgress(0, 0, 0);
        var done = progress.Applied + progress.Skipped;
        html.Append($"<section data-testid=\"bulk-progress\" data-matched=\"{progress.Matched}\" data-applied=\"{progress.Applied}\" data-skipped=\"{progress.Skipped}\">\n");
        html.Append($"<p role=\"status\">Working: {job.Filter.Verb} {progress.Matched} execution(s). {progress.Applied} done, {progress.Skipped} skipped so far. This page reloads itself until it is finished.</p>\n");
        html.Append($"<progress class=\"hd-progress\" max=\"{Math.Max(1, progress.Matched)}\" value=\"{done}\" aria-label=\"Executions handled\">{done} of {progress.Matched}</progress>\n</section>\n");
        return Layout.Render(request, "Bulk action", html.ToMarkup(), refresh: true);
    }

    private static void Form(HtmlBuilder html, DashboardRequest request, BulkFilter filter)
    {
        html.Append($"<form class=\"hd-filters\" method=\"get\" action=\"{request.BasePath}/bulk\" data-testid=\"bulk-filter\">\n<input type=\"hidden\" name=\"preview\" value=\"1\">\n");
        html.Append($"<label>Action <select name=\"action\" data-testid=\"bulk-action\">");
        foreach (var (value, text) in new[] { ("retry", "Retry the failed step"), ("cancel", "Cancel"), ("rerun", "Re-run from a step") })
        {
            html.Append($"<option value=\"{value}\"{(value == filter.Action ? new Markup(" selected") : Markup.Empty)}>{text}</option>");
        }

        html.Append($"</select></label>\n<label>Workflow <select name=\"workflow\" data-testid=\"bulk-workflow\"><option value=\"\">Any</option>");
        foreach (var name in request.Client.Workflows.Select(w => w.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            html.Append($"<option value=\"{name}\"{(name == filter.Workflow ? new Markup(" selected") : Markup.Empty)}>{name}</option>");
        }

        html.Append($"</select></label>\n<label>Status <select name=\"status\" data-testid=\"bulk-status\"><option value=\"\">Any</option>");
        foreach (var status in Enum.GetValues<ExecutionStatus>())
        {
            html.Append($"<option value=\"{status}\"{(status == filter.Status ? new Markup(" selected") : Markup.Empty)}>{Format.Status(status)}</option>");
        }

        html.Append($"</select></label>\n<label>Failed / current step <input name=\"step\" value=\"{filter.Step}\" placeholder=\"add_user_to_slack_group\" data-testid=\"bulk-step\"></label>\n");
        html.Append($"<label>Label <input name=\"label\" value=\"{filter.LabelText}\" placeholder=\"org=42\" data-testid=\"bulk-label\"></label>\n");
        html.Append($"<label>Created from <input type=\"date\" name=\"from\" value=\"{filter.FromText}\" data-testid=\"bulk-from\"></label>\n");
        html.Append($"<label>to <input type=\"date\" name=\"to\" value=\"{filter.ToText}\" data-testid=\"bulk-to\"></label>\n");
        html.Append($"<label>Re-run from step <input name=\"rerun_step\" value=\"{filter.RerunStep}\" placeholder=\"for a re-run\" data-testid=\"bulk-rerun-step\"></label>\n");
        html.Append($"<button type=\"submit\" data-testid=\"bulk-preview-button\">Preview</button>\n</form>\n");
    }

    private static void Preview(HtmlBuilder html, DashboardRequest request, BulkFilter filter, BulkActionResult preview)
    {
        html.Append($"<section class=\"hd-preview\" data-testid=\"bulk-preview\" data-matched=\"{preview.Matched}\">\n<h2>Preview: {preview.Matched} execution(s) match</h2>\n");
        if (preview.Matched == 0)
        {
            html.Append($"<p data-testid=\"bulk-nothing\">Nothing matches; nothing would change.</p>\n</section>\n");
            return;
        }

        Rows(html, request, preview.Sample, preview.Matched);
        html.Append($"<form class=\"hd-confirm\" method=\"post\" action=\"{request.BasePath}/bulk\" data-testid=\"bulk-form\">{request.AntiforgeryField()}\n");
        foreach (var (name, value) in filter.Fields())
        {
            html.Append($"<input type=\"hidden\" name=\"{name}\" value=\"{value}\">");
        }

        html.Append($"\n<p><label>Reason <input name=\"reason\" maxlength=\"{DashboardEndpoints.MaxReasonLength}\" placeholder=\"recorded on every execution\" data-testid=\"bulk-reason\"></label></p>\n");
        html.Append($"<p><label><input type=\"checkbox\" name=\"confirm\" value=\"yes\" required data-testid=\"bulk-confirm\"> I understand that this will {filter.Verb} {preview.Matched} execution(s).</label></p>\n");
        html.Append($"<p><button type=\"submit\" class=\"hd-danger\" data-testid=\"bulk-apply-button\">Apply to {preview.Matched} execution(s)</button></p>\n</form>\n</section>\n");
    }

    private static void Result(HtmlBuilder html, DashboardRequest request, BulkFilter filter, BulkActionResult result)
    {
        html.Append($"<section data-testid=\"bulk-result\" data-applied=\"{result.Applied}\" data-skipped=\"{result.Skipped.Count}\">\n");
        html.Append($"<p class=\"hd-flash\" role=\"status\" data-testid=\"flash\">Done: {filter.Verb} {result.Applied} of {result.Matched} execution(s); {result.Skipped.Count} skipped.</p>\n");
        if (result.Skipped.Count > 0)
        {
            html.Append($"<h2>Skipped</h2>\n<ul data-testid=\"bulk-skipped\">");
            foreach (var skip in result.Skipped.Take(100))
            {
                html.Append($"<li><a href=\"{request.ExecutionUrl(skip.ExecutionId)}\">{skip.ExecutionId}</a>: {skip.Reason}</li>");
            }

            html.Append($"</ul>\n");
        }

        var list = request.ListUrl + (filter.Workflow is null ? string.Empty : "?workflow=" + Uri.EscapeDataString(filter.Workflow));
        html.Append($"<p><a href=\"{list}\" data-testid=\"bulk-back\">Back to the executions</a></p>\n</section>\n");
    }

    private static void Rows(HtmlBuilder html, DashboardRequest request, IReadOnlyList<ExecutionSummary> sample, int matched)
    {
        html.Append($"<p class=\"hd-muted\">The first {sample.Count} of {matched}, newest first:</p>\n");
        html.Append($"<table class=\"hd-table\" data-testid=\"bulk-sample\">\n<thead><tr><th>Status</th><th>Workflow</th><th>Labels</th><th>Started</th><th>Step</th><th>Error</th></tr></thead>\n<tbody>\n");
        foreach (var e in sample)
        {
            html.Append($"<tr data-execution-id=\"{e.Id}\" data-status=\"{e.Status}\">");
            html.Append($"<td><span class=\"hd-badge {Format.CssClass(e.Status.ToString())}\">{Format.Status(e.Status)}</span></td>");
            html.Append($"<td><a href=\"{request.ExecutionUrl(e.Id)}\">{e.WorkflowName}</a></td>");
            html.Append($"<td>{ExecutionListPage.Labels(request, e.Labels)}</td>");
            html.Append($"<td>{Format.Time(e.CreatedAt)}</td>");
            html.Append($"<td><code>{e.CurrentStepId}</code></td>");
            html.Append($"<td class=\"hd-error-cell\">{Format.Truncate(e.Error, 160)}</td></tr>\n");
        }

        html.Append($"</tbody>\n</table>\n");
    }
}
