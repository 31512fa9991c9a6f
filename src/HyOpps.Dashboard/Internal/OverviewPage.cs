using HyOpps.Workflows;

namespace HyOpps.Dashboard.Internal;

/// <summary>Renders the overview: a label search, the due backlog, counts by workflow and status, the steps failing most, starts per hour, retention.</summary>
internal static class OverviewPage
{
    public static string Render(DashboardRequest request, ExecutionOverview overview, IReadOnlyList<ExpiredExecutionCount>? expired)
    {
        var html = new HtmlBuilder();
        html.Append($"<h1>Overview</h1>\n");
        html.Append($"<form class=\"hd-filters\" method=\"get\" action=\"{request.ListUrl}\" role=\"search\" data-testid=\"overview-search\">\n");
        html.Append($"<label>Find executions by a label value, for example an email <input type=\"search\" name=\"q\" required maxlength=\"{DashboardEndpoints.MaxSearchLength}\" placeholder=\"ann@example.com\" data-testid=\"search-input\"></label>\n");
        html.Append($"<button type=\"submit\" data-testid=\"search-button\">Search</button>\n</form>\n");
        Backlog(html, request, overview);
        Counts(html, request, overview.Counts);
        FailingSteps(html, request, overview.FailingSteps);
        html.Append($"<h2 id=\"hd-starts\">Executions started per hour, last {overview.StartsPerHour.Count} hours</h2>\n{StartsChart.Render(overview.StartsPerHour)}");
        if (expired is not null)
        {
            Retention(html, expired);
        }

        return Layout.Render(request, "Overview", html.ToMarkup());
    }

    private static void Backlog(HtmlBuilder html, DashboardRequest request, ExecutionOverview overview)
    {
        html.Append($"<h2>Backlog</h2>\n");
        if (overview.OldestDueAt is not { } oldest)
        {
            html.Append($"<p data-testid=\"oldest-due\" data-due-count=\"0\">Nothing is due: no execution waits for a worker.</p>\n");
            return;
        }

        var age = request.Now - oldest;
        html.Append($"<p data-testid=\"oldest-due\" data-due-count=\"{overview.DueCount}\" data-age-seconds=\"{(long)Math.Max(0, age.TotalSeconds)}\">");
        html.Append($"{overview.DueCount} execution(s) due. The oldest has waited <strong>{Format.Duration(age)}</strong> (due since {Format.Time(oldest)}).</p>\n");
    }

    private static void Counts(HtmlBuilder html, DashboardRequest request, IReadOnlyList<ExecutionCount> counts)
    {
        html.Append($"<h2>Executions by workflow and status</h2>\n");
        if (counts.Count == 0)
        {
            html.Append($"<p data-testid=\"counts-empty\">No executions yet.</p>\n");
            return;
        }

        var statuses = Enum.GetValues<ExecutionStatus>();
        html.Append($"<table class=\"hd-table hd-numbers\" data-testid=\"counts-table\">\n<thead><tr><th scope=\"col\">Workflow</th>");
        foreach (var status in statuses)
        {
            html.Append($"<th scope=\"col\">{Format.Status(status)}</th>");
        }

        html.Append($"<th scope=\"col\">Total</th></tr></thead>\n<tbody>\n");
        foreach (var workflow in counts.GroupBy(c => c.WorkflowName, StringComparer.Ordinal))
        {
            html.Append($"<tr><th scope=\"row\"><a href=\"{request.ListUrl}?workflow={Uri.EscapeDataString(workflow.Key)}\">{workflow.Key}</a></th>");
            foreach (var status in statuses)
            {
                var count = workflow.Where(c => c.Status == status).Sum(c => c.Count);
                html.Append($"<td data-testid=\"count\" data-workflow=\"{workflow.Key}\" data-status=\"{status}\" data-count=\"{count}\">");
                if (count > 0)
                {
                    html.Append($"<a class=\"{Format.CssClass(status.ToString())}\" href=\"{request.ListUrl}?workflow={Uri.EscapeDataString(workflow.Key)}&status={status}\">{count}</a>");
                }
                else
                {
                    html.Append($"<span class=\"hd-muted\">0</span>");
                }

                html.Append($"</td>");
            }

            html.Append($"<td>{workflow.Sum(c => c.Count)}</td></tr>\n");
        }

        html.Append($"</tbody>\n</table>\n");
    }

    private static void FailingSteps(HtmlBuilder html, DashboardRequest request, IReadOnlyList<FailingStep> steps)
    {
        html.Append($"<h2>Steps failing most, last 24 hours</h2>\n");
        if (steps.Count == 0)
        {
            html.Append($"<p data-testid=\"failing-empty\">No execution failed in the last 24 hours.</p>\n");
            return;
        }

        html.Append($"<table class=\"hd-table\" data-testid=\"failing-steps\">\n<thead><tr><th scope=\"col\">Workflow</th><th scope=\"col\">Step</th><th scope=\"col\">Failed</th><th scope=\"col\">Most common error</th><th scope=\"col\">Act</th></tr></thead>\n<tbody>\n");
        foreach (var step in steps)
        {
            var filter = $"workflow={Uri.EscapeDataString(step.WorkflowName)}&status=Failed&step={Uri.EscapeDataString(step.StepId)}";
            html.Append($"<tr data-testid=\"failing-step\" data-workflow=\"{step.WorkflowName}\" data-step=\"{step.StepId}\" data-count=\"{step.Count}\">");
            html.Append($"<td>{step.WorkflowName}</td><td><code>{step.StepId}</code></td><td>{step.Count}</td>");
            html.Append($"<td class=\"hd-error-cell\" title=\"{step.CommonError}\">{Format.Truncate(step.CommonError, 200)}");
            if (step.CommonError is not null && step.CommonErrorCount < step.Count)
            {
                html.Append($" <span class=\"hd-muted\">({step.CommonErrorCount} of {step.Count})</span>");
            }

            html.Append($"</td><td><a href=\"{request.ListUrl}?{filter}\" data-testid=\"failing-list-link\">Show the failed executions</a>");
            if (request.CanOperate)
            {
                html.Append($" · <a href=\"{request.BasePath}/bulk?preview=1&action=retry&{filter}\" data-testid=\"failing-retry-link\">Preview retrying them</a>");
            }

            html.Append($"</td></tr>\n");
        }

        html.Append($"</tbody>\n</table>\n");
    }

    private static void Retention(HtmlBuilder html, IReadOnlyList<ExpiredExecutionCount> expired)
    {
        html.Append($"<h2>Retention</h2>\n");
        var total = expired.Sum(e => e.Count);
        html.Append($"<p data-testid=\"retention-total\" data-count=\"{total}\">{total} finished execution(s) are past their age and will be deleted by the next retention pass.</p>\n");
        if (total == 0)
        {
            return;
        }

        html.Append($"<table class=\"hd-table\" data-testid=\"retention-table\">\n<thead><tr><th scope=\"col\">Workflow</th><th scope=\"col\">Status</th><th scope=\"col\">Finished before</th><th scope=\"col\">Executions</th></tr></thead>\n<tbody>\n");
        foreach (var e in expired.Where(e => e.Count > 0))
        {
            html.Append($"<tr><td>{e.WorkflowName}</td><td>{Format.Status(e.Status)}</td><td>{Format.Time(e.FinishedBefore)}</td><td>{e.Count}</td></tr>\n");
        }

        html.Append($"</tbody>\n</table>\n");
    }
}
