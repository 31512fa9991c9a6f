using HyOpps.Workflows;

namespace HyOpps.Dashboard.Internal;

/// <summary>Renders one execution: summary, input, step timeline with attempts and outputs, audit trail and action forms.</summary>
internal static class ExecutionDetailPage
{
    public static string Render(DashboardRequest request, ExecutionDetail e, string? success, string? error)
    {
        var html = new HtmlBuilder();
        var active = e.Status is ExecutionStatus.Pending or ExecutionStatus.Running;
        html.Append($"<p class=\"hd-crumbs\"><a href=\"{request.ListUrl}\" data-testid=\"back-to-list\">← Executions</a></p>\n");
        html.Append($"<section class=\"hd-execution\" id=\"execution\" data-execution-id=\"{e.Id}\" data-status=\"{e.Status}\">\n");
        html.Append($"<h1>{e.WorkflowName} <span class=\"hd-muted\">v{e.WorkflowVersion}</span> <span class=\"hd-badge {Format.CssClass(e.Status.ToString())}\" data-testid=\"execution-status\">{Format.Status(e.Status)}</span></h1>\n");
        html.Append($"{Layout.Notice(success, error)}");
        if (e.WaitingOn is { Length: > 0 } waiting)
        {
            html.Append($"<p class=\"hd-waiting\" data-testid=\"waiting-on\">{waiting}</p>\n");
        }

        if (e.Error is { Length: > 0 } failure)
        {
            html.Append($"<p class=\"hd-error\" data-testid=\"execution-error\"><strong>Error{(e.ErrorType is null ? string.Empty : $" ({e.ErrorType})")}:</strong> {failure}</p>\n");
        }

        Summary(html, request, e);
        ExecutionActions(html, request, e);
        html.Append($"<details class=\"hd-data\" data-testid=\"input-data\"><summary>Input data</summary><pre><code>{Format.Json(e.Input)}</code></pre></details>\n");
        Steps(html, request, e);
        Audit(html, e);
        html.Append($"</section>\n");
        return Layout.Render(request, $"{e.WorkflowName} {e.Id}", html.ToMarkup(), refresh: active);
    }

    private static void Summary(HtmlBuilder html, DashboardRequest request, ExecutionDetail e)
    {
        html.Append($"<dl class=\"hd-summary\">\n<dt>Execution</dt><dd><code data-testid=\"execution-id\">{e.Id}</code></dd>\n");
        foreach (var (key, value) in e.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            if (DashboardScope.DisplayName(request.Options, key) is { } name)
            {
                var shown = request.LabelValue(key, value);
                if (string.Equals(shown, value, StringComparison.Ordinal))
                {
                    html.Append($"<dt>{name}</dt><dd data-label=\"{key}\">{value}</dd>\n");
                }
                else
                {
                    html.Append($"<dt>{name}</dt><dd data-label=\"{key}\" data-label-value=\"{value}\" title=\"{key}={value}\">{shown}</dd>\n");
                }
            }
        }

        html.Append($"<dt>Started</dt><dd>{Format.Time(e.CreatedAt)}</dd>\n<dt>Updated</dt><dd>{Format.Time(e.UpdatedAt)}</dd>\n");
        if (e.CompletedAt is not null)
        {
            html.Append($"<dt>Finished</dt><dd>{Format.Time(e.CompletedAt)}</dd>\n");
        }

        html.Append($"<dt>Duration</dt><dd data-testid=\"execution-duration\">{Format.Duration((e.CompletedAt ?? request.Now) - e.CreatedAt)}{(e.CompletedAt is null ? " so far" : string.Empty)}</dd>\n");
        if (e.CurrentStepId is not null)
        {
            html.Append($"<dt>Current step</dt><dd><code data-testid=\"current-step\">{e.CurrentStepId}</code></dd>\n");
        }

        if (e.NextRunAt is not null)
        {
            html.Append($"<dt>Next attempt</dt><dd>{Format.Time(e.NextRunAt)}</dd>\n");
        }

        if (e.IdempotencyKey is not null)
        {
            html.Append($"<dt>Idempotency key</dt><dd><code>{e.IdempotencyKey}</code></dd>\n");
        }

        html.Append($"</dl>\n");
    }

    private static void ExecutionActions(HtmlBuilder html, DashboardRequest request, ExecutionDetail e)
    {
        if (!request.CanOperate || e.Status is not (ExecutionStatus.Pending or ExecutionStatus.Running or ExecutionStatus.WaitingForApproval))
        {
            return;
        }

        html.Append($"<div class=\"hd-actions\" data-testid=\"execution-actions\">\n");
        if (e.Status == ExecutionStatus.Pending && e.NextRunAt > request.Now && e.WaitingOn?.StartsWith("Scheduled for ", StringComparison.Ordinal) == true)
        {
            ActionForm(html, request, e, "start-now", "Start now", "start-now-button", "hd-primary", null);
        }

        ActionForm(html, request, e, "cancel", "Cancel execution", "cancel-button", "hd-danger", null);
        html.Append($"</div>\n");
    }

    private static void Steps(HtmlBuilder html, DashboardRequest request, ExecutionDetail e)
    {
        var definition = request.FindDefinition(e);
        var current = e.Steps.FirstOrDefault(s => s.Id == e.CurrentStepId)?.Index ?? int.MaxValue;
        var canRerun = request.CanOperate && e.Status is not (ExecutionStatus.Pending or ExecutionStatus.Running);
        html.Append($"<h2>Steps</h2>\n<ol class=\"hd-steps\" id=\"steps\" data-testid=\"steps\">\n");
        foreach (var step in e.Steps)
        {
            html.Append($"<li class=\"hd-step {Format.CssClass(step.Status.ToString())}\" id=\"step-{step.Id}\" data-step-id=\"{step.Id}\" data-step-status=\"{step.Status}\" data-step-run=\"{step.Run}\">\n");
            html.Append($"<h3><span class=\"hd-step-number\">{step.Index + 1}.</span> {step.DisplayName}");
            if (step.DisplayName != step.Id)
            {
                html.Append($" <code class=\"hd-muted\">{step.Id}</code>");
            }

            html.Append($" <span class=\"hd-badge {Format.CssClass(step.Status.ToString())}\" data-testid=\"step-status\">{Format.Status(step.Status)}</span>");
            if (step.Run > 1)
            {
                html.Append($" <span class=\"hd-muted\" data-testid=\"step-run\">run {step.Run}</span>");
            }

            html.Append($"</h3>\n");
            var prompt = definition?.FindStep(step.Id)?.Prompt;
            if (prompt is not null)
            {
                html.Append($"<p class=\"hd-prompt\" data-testid=\"step-prompt\">{prompt}</p>\n");
            }

            if (step.StartedAt is not null || step.CompletedAt is not null)
            {
                html.Append($"<p class=\"hd-muted\">Started {Format.Time(step.StartedAt)}");
                if (step.CompletedAt is not null)
                {
                    html.Append($", finished {Format.Time(step.CompletedAt)}");
                    if (step.StartedAt is not null)
                    {
                        html.Append($" ({Format.Duration(step.CompletedAt - step.StartedAt)})");
                    }
                }

                html.Append($"</p>\n");
            }

            if (step.Error is { Length: > 0 } error)
            {
                html.Append($"<p class=\"hd-error\" data-testid=\"step-error\"><strong>Error{(step.ErrorType is null ? string.Empty : $" ({step.ErrorType})")}:</strong> {error}</p>\n");
            }

            if (step.Output is { } output)
            {
                html.Append($"<details class=\"hd-data\" data-testid=\"step-output\"><summary>Output data</summary><pre><code>{Format.Json(output)}</code></pre></details>\n");
            }

            if (step.InputOverride is { } input)
            {
                html.Append($"<details class=\"hd-data\" data-testid=\"step-input-override\"><summary>Input override</summary><pre><code>{Format.Json(input)}</code></pre></details>\n");
            }

            Attempts(html, step);
            StepActions(html, request, e, step, canRerun && step.Index <= current);
            html.Append($"</li>\n");
        }

        html.Append($"</ol>\n");
    }

    private static void Attempts(HtmlBuilder html, StepDetail step)
    {
        if (step.Attempts.Count == 0)
        {
            return;
        }

        html.Append($"<details class=\"hd-attempts\" data-testid=\"attempts\"{(step.Status is StepStatus.Failed || step.Attempts.Count > 1 ? new Markup(" open") : Markup.Empty)}><summary>Attempts ({step.Attempts.Count})</summary>\n");
        html.Append($"<table class=\"hd-table\">\n<thead><tr><th>Run</th><th>Attempt</th><th>Started</th><th>Duration</th><th>Outcome</th><th>Error</th><th>Input</th><th>Output</th></tr></thead>\n<tbody>\n");
        foreach (var a in step.Attempts)
        {
            html.Append($"<tr data-run=\"{a.Run}\" data-attempt=\"{a.Number}\" data-outcome=\"{a.Outcome}\"><td>{a.Run}</td><td>{a.Number}</td><td>{Format.Time(a.StartedAt)}</td><td>{Format.Duration(a.Duration)}</td>");
            html.Append($"<td><span class=\"hd-badge {Format.CssClass(a.Outcome.ToString())}\">{Format.Outcome(a.Outcome)}</span></td>");
            html.Append($"<td>{(a.ErrorType is null ? string.Empty : $"[{a.ErrorType}] ")}{a.Error}</td><td>");

            // Beside the output: what this attempt was given, so a retry after a fix shows the old and the new data.
            if (a.Input is { } input)
            {
                html.Append($"<details data-testid=\"attempt-input\"><summary>Input</summary><pre><code>{Format.Json(input)}</code></pre></details>");
            }

            html.Append($"</td><td>");
            if (a.Output is { } output)
            {
                html.Append($"<details><summary>Output</summary><pre><code>{Format.Json(output)}</code></pre></details>");
            }

            html.Append($"</td></tr>\n");
        }

        html.Append($"</tbody>\n</table>\n</details>\n");
    }

    private static void StepActions(HtmlBuilder html, DashboardRequest request, ExecutionDetail e, StepDetail step, bool canRerun)
    {
        if (!request.CanOperate)
        {
            return;
        }

        var isCurrent = step.Id == e.CurrentStepId;
        var retry = e.Status == ExecutionStatus.Failed && isCurrent;
        var decide = e.Status == ExecutionStatus.WaitingForApproval && isCurrent && step.Status == StepStatus.WaitingForApproval;
        if (!retry && !decide && !canRerun)
        {
            return;
        }

        html.Append($"<div class=\"hd-actions\" data-testid=\"step-actions\">\n");
        if (retry)
        {
            ActionForm(html, request, e, "retry", "Retry failed step", "retry-button", "hd-primary", null);
        }

        if (decide)
        {
            ActionForm(html, request, e, "approve", "Approve", "approve-button", "hd-primary", step.Id);
            ActionForm(html, request, e, "reject", "Reject", "reject-button", "hd-danger", step.Id);
        }

        if (canRerun)
        {
            html.Append($"<a class=\"hd-button\" href=\"{request.RerunConfirmationUrl(e.Id, step.Id)}\" data-testid=\"rerun-link\">Re-run from this step…</a>\n");
        }

        html.Append($"</div>\n");
    }

    private static void ActionForm(HtmlBuilder html, DashboardRequest request, ExecutionDetail e, string action, string label, string testId, string css, string? stepId)
        => ActionForm(html, request, e.Id, action, label, testId, css, stepId);

    /// <summary>A POST form with a reason field and one button, for an action on an execution.</summary>
    internal static void ActionForm(HtmlBuilder html, DashboardRequest request, string executionId, string action, string label, string testId, string css, string? stepId)
    {
        html.Append($"<form class=\"hd-action\" method=\"post\" action=\"{request.ActionUrl(executionId, action)}\" data-action=\"{action}\">{request.AntiforgeryField()}");
        if (stepId is not null)
        {
            html.Append($"<input type=\"hidden\" name=\"step\" value=\"{stepId}\">");
        }

        html.Append($"<input name=\"reason\" maxlength=\"{DashboardEndpoints.MaxReasonLength}\" placeholder=\"Reason (optional)\" aria-label=\"Reason for {label}\" data-testid=\"{action}-reason\"> ");
        html.Append($"<button type=\"submit\" class=\"{css}\" data-testid=\"{testId}\">{label}</button></form>\n");
    }

    private static void Audit(HtmlBuilder html, ExecutionDetail e)
    {
        html.Append($"<h2>Audit trail</h2>\n");
        if (e.Audit.Count == 0)
        {
            html.Append($"<p class=\"hd-muted\">No actions yet.</p>\n");
            return;
        }

        html.Append($"<table class=\"hd-table\" id=\"audit\" data-testid=\"audit-trail\">\n<thead><tr><th>When</th><th>Who</th><th>Action</th><th>Reason</th><th>Detail</th></tr></thead>\n<tbody>\n");
        foreach (var a in e.Audit)
        {
            html.Append($"<tr data-action=\"{a.Action}\" data-actor=\"{a.Actor}\"><td>{Format.Time(a.At)}</td><td data-testid=\"audit-actor\">{a.Actor}</td><td data-testid=\"audit-action\">{a.Action}</td><td data-testid=\"audit-reason\">{a.Reason}</td><td>{a.Detail}</td></tr>\n");
        }

        html.Append($"</tbody>\n</table>\n");
    }
}
