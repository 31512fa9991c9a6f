using HyOpps.Workflows;

namespace HyOpps.Dashboard.Internal;

/// <summary>Renders the executions scheduled for later, soonest first, each with "start now" and "cancel" for an operator.</summary>
internal static class ScheduledPage
{
    public static string Render(DashboardRequest request, ExecutionList list)
    {
        var html = new HtmlBuilder();
        html.Append($"<h1>Scheduled executions</h1>\n");
        html.Append($"<p class=\"hd-count\" data-testid=\"scheduled-count\" data-total=\"{list.Total}\">");
        if (list.Items.Count == 0)
        {
            html.Append($"Nothing is scheduled for later.</p>\n");
            return Layout.Render(request, "Scheduled", html.ToMarkup());
        }

        html.Append($"{list.Total} scheduled for later{(list.Total > list.Items.Count ? $", the first {list.Items.Count} shown" : string.Empty)}.</p>\n");
        html.Append($"<table class=\"hd-table\" data-testid=\"scheduled-table\">\n<thead><tr><th>Starts at</th><th>Workflow</th><th>Labels</th><th>Created</th>");
        if (request.CanOperate)
        {
            html.Append($"<th>Actions</th>");
        }

        html.Append($"</tr></thead>\n<tbody>\n");
        foreach (var e in list.Items.OrderBy(e => e.NextRunAt).ThenBy(e => e.Id, StringComparer.Ordinal))
        {
            html.Append($"<tr data-execution-id=\"{e.Id}\" data-status=\"{e.Status}\">");
            html.Append($"<td data-testid=\"starts-at\">{Format.Time(e.NextRunAt)}</td>");
            html.Append($"<td><a href=\"{request.ExecutionUrl(e.Id)}\" data-testid=\"execution-link\">{e.WorkflowName}</a> <span class=\"hd-muted\">v{e.WorkflowVersion}</span></td>");
            html.Append($"<td>{ExecutionListPage.Labels(request, e.Labels)}</td>");
            html.Append($"<td>{Format.Time(e.CreatedAt)}</td>");
            if (request.CanOperate)
            {
                html.Append($"<td>");
                ExecutionDetailPage.ActionForm(html, request, e.Id, "start-now", "Start now", "start-now-button", "hd-primary", null);
                ExecutionDetailPage.ActionForm(html, request, e.Id, "cancel", "Cancel", "cancel-button", "hd-danger", null);
                html.Append($"</td>");
            }

            html.Append($"</tr>\n");
        }

        html.Append($"</tbody>\n</table>\n");
        return Layout.Render(request, "Scheduled", html.ToMarkup());
    }
}
