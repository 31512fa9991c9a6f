using System.Globalization;
using HyOpps.Workflows;

namespace HyOpps.Dashboard.Internal;

/// <summary>The filters of the executions list, as read from the query string.</summary>
internal sealed record ListFilter
{
    public string? Workflow { get; init; }

    public ExecutionStatus? Status { get; init; }

    public string? StatusText { get; init; }

    public IReadOnlyList<string> LabelTexts { get; init; } = [];

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the step a match runs next or failed at, or <see langword="null"/>.</summary>
    public string? Step { get; init; }

    /// <summary>Gets a label value to search for whatever its key (for example an email), or <see langword="null"/>.</summary>
    public string? Search { get; init; }

    public int Page { get; init; } = 1;

    public string QueryString(int page)
    {
        var parts = new List<string>();
        foreach (var (name, value) in new[] { ("workflow", Workflow), ("status", StatusText), ("step", Step), ("q", Search) })
        {
            if (!string.IsNullOrEmpty(value))
            {
                parts.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }

        parts.AddRange(LabelTexts.Where(l => l.Length > 0).Select(l => "label=" + Uri.EscapeDataString(l)));
        if (page > 1)
        {
            parts.Add("page=" + page.ToString(CultureInfo.InvariantCulture));
        }

        return parts.Count == 0 ? string.Empty : "?" + string.Join('&', parts);
    }
}

/// <summary>Renders the executions list with its filters and paging.</summary>
internal static class ExecutionListPage
{
    public static string Render(DashboardRequest request, ListFilter filter, ExecutionList list, string? error)
    {
        var html = new HtmlBuilder();
        html.Append($"<h1>Executions</h1>\n{Layout.Notice(null, error)}{Filters(request, filter)}");
        var pageSize = request.Options.PageSize;
        var first = ((filter.Page - 1) * pageSize) + 1;
        var last = first + list.Items.Count - 1;
        html.Append($"<p class=\"hd-count\" data-testid=\"execution-count\" data-total=\"{list.Total}\">");
        if (list.Items.Count == 0)
        {
            html.Append($"No executions match.</p>\n");
        }
        else
        {
            html.Append($"Showing {first}–{last} of {list.Total}.</p>\n");
            html.Append($"<table class=\"hd-table\" id=\"executions\" data-testid=\"executions-table\">\n<thead><tr><th>Status</th><th>Workflow</th><th>Labels</th><th>Started</th><th>Duration</th><th>Current step</th><th>Error</th></tr></thead>\n<tbody>\n");
            foreach (var e in list.Items)
            {
                Row(html, request, e);
            }

            html.Append($"</tbody>\n</table>\n");
        }

        if (request.CanOperate && list.Total > 0)
        {
            var bulk = new List<string> { "preview=1" };
            if (filter.Workflow is not null)
            {
                bulk.Add("workflow=" + Uri.EscapeDataString(filter.Workflow));
            }

            if (!string.IsNullOrEmpty(filter.StatusText))
            {
                bulk.Add("status=" + Uri.EscapeDataString(filter.StatusText));
            }

            if (filter.Step is not null)
            {
                bulk.Add("step=" + Uri.EscapeDataString(filter.Step));
            }

            if (filter.LabelTexts.Count > 0)
            {
                bulk.Add("label=" + Uri.EscapeDataString(filter.LabelTexts[0]));
            }

            html.Append($"<p><a href=\"{request.BasePath}/bulk?{string.Join('&', bulk)}\" data-testid=\"bulk-link\">Act on all {list.Total} matching executions…</a></p>\n");
        }

        html.Append($"<nav class=\"hd-paging\" aria-label=\"Pages\">");
        if (filter.Page > 1)
        {
            html.Append($"<a href=\"{request.ListUrl}{filter.QueryString(filter.Page - 1)}\" rel=\"prev\" data-testid=\"previous-page\">Previous</a> ");
        }

        if ((long)filter.Page * pageSize < list.Total)
        {
            html.Append($"<a href=\"{request.ListUrl}{filter.QueryString(filter.Page + 1)}\" rel=\"next\" data-testid=\"next-page\">Next</a>");
        }

        html.Append($"</nav>\n");
        var active = list.Items.Any(e => e.Status is ExecutionStatus.Pending or ExecutionStatus.Running);
        return Layout.Render(request, "Executions", html.ToMarkup(), refresh: active);
    }

    private static void Row(HtmlBuilder html, DashboardRequest request, ExecutionSummary e)
    {
        var status = Format.Status(e.Status);
        var duration = e.Duration ?? (request.Now - e.CreatedAt);
        html.Append($"<tr data-execution-id=\"{e.Id}\" data-status=\"{e.Status}\">");
        html.Append($"<td><span class=\"hd-badge {Format.CssClass(e.Status.ToString())}\" data-testid=\"status\">{status}</span></td>");
        html.Append($"<td><a href=\"{request.ExecutionUrl(e.Id)}\" data-testid=\"execution-link\">{e.WorkflowName}</a> <span class=\"hd-muted\">v{e.WorkflowVersion}</span></td>");
        html.Append($"<td>{Labels(request, e.Labels)}</td>");
        html.Append($"<td>{Format.Time(e.CreatedAt)}</td>");
        html.Append($"<td>{Format.Duration(duration)}{(e.CompletedAt is null ? " so far" : string.Empty)}</td>");
        html.Append($"<td><code>{e.CurrentStepId}</code></td>");
        html.Append($"<td class=\"hd-error-cell\" title=\"{e.Error}\">{Format.Truncate(e.Error, 160)}</td>");
        html.Append($"</tr>\n");
    }

    internal static Markup Labels(DashboardRequest request, IReadOnlyDictionary<string, string> labels)
    {
        var html = new HtmlBuilder();
        foreach (var (key, value) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            if (DashboardScope.DisplayName(request.Options, key) is not { } name)
            {
                continue;
            }

            var url = request.ListUrl + "?label=" + Uri.EscapeDataString($"{key}={value}");
            html.Append($"<a class=\"hd-label\" href=\"{url}\" data-label=\"{key}\" data-label-value=\"{value}\" title=\"Show executions with {key}={value}\">{name}: {request.LabelValue(key, value)}</a> ");
        }

        return html.ToMarkup();
    }

    private static Markup Filters(DashboardRequest request, ListFilter filter)
    {
        var html = new HtmlBuilder();
        html.Append($"<form class=\"hd-filters\" id=\"filters\" method=\"get\" action=\"{request.ListUrl}\">\n<label>Workflow <select name=\"workflow\" data-testid=\"filter-workflow\"><option value=\"\">Any</option>");
        foreach (var name in request.Client.Workflows.Select(w => w.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            html.Append($"<option value=\"{name}\"{Selected(name == filter.Workflow)}>{name}</option>");
        }

        html.Append($"</select></label>\n<label>Status <select name=\"status\" data-testid=\"filter-status\"><option value=\"\">Any</option>");
        foreach (var status in Enum.GetValues<ExecutionStatus>())
        {
            html.Append($"<option value=\"{status}\"{Selected(status == filter.Status)}>{Format.Status(status)}</option>");
        }

        var label = filter.LabelTexts.Count > 0 ? filter.LabelTexts[0] : string.Empty;
        html.Append($"</select></label>\n<label>Label <input name=\"label\" value=\"{label}\" placeholder=\"org=42\" data-testid=\"filter-label\"></label>\n");
        html.Append($"<label>Step <input name=\"step\" value=\"{filter.Step}\" placeholder=\"current or failed step\" data-testid=\"filter-step\"></label>\n");
        html.Append($"<label>Label value <input type=\"search\" name=\"q\" value=\"{filter.Search}\" placeholder=\"ann@example.com\" data-testid=\"filter-search\"></label>\n");
        foreach (var extra in filter.LabelTexts.Skip(1))
        {
            html.Append($"<input type=\"hidden\" name=\"label\" value=\"{extra}\">");
        }

        html.Append($"<button type=\"submit\" data-testid=\"apply-filters\">Filter</button> <a href=\"{request.ListUrl}\" data-testid=\"clear-filters\">Clear</a>\n</form>\n");
        return html.ToMarkup();
    }

    private static Markup Selected(bool selected) => selected ? new Markup(" selected") : Markup.Empty;
}
