using HyOpps.Workflows;

namespace HyOpps.Dashboard.Internal;

/// <summary>Asks the operator to confirm a re-run from a step, since it repeats that step and every later one.</summary>
internal static class RerunConfirmationPage
{
    public static string Render(DashboardRequest request, ExecutionDetail e, StepDetail step, string? error)
    {
        var html = new HtmlBuilder();
        var later = e.Steps.Where(s => s.Index >= step.Index).ToArray();
        html.Append($"<p class=\"hd-crumbs\"><a href=\"{request.ExecutionUrl(e.Id)}\" data-testid=\"back-to-execution\">← {e.WorkflowName} {e.Id}</a></p>\n");
        html.Append($"<h1>Re-run from step {step.Index + 1}: {step.DisplayName}?</h1>\n{Layout.Notice(null, error)}");
        html.Append($"<p>These steps reset and run again; their earlier attempts and outputs stay in the history:</p>\n<ol class=\"hd-rerun-steps\" start=\"{step.Index + 1}\">");
        foreach (var s in later)
        {
            html.Append($"<li data-step-id=\"{s.Id}\">{s.DisplayName} <span class=\"hd-muted\">({Format.Status(s.Status)})</span></li>");
        }

        html.Append($"</ol>\n");
        if (e.Status is ExecutionStatus.Pending or ExecutionStatus.Running)
        {
            html.Append($"<p class=\"hd-error\" role=\"alert\">The execution is {Format.Status(e.Status)}; cancel it or wait for it to finish before re-running from a step.</p>\n");
            return Layout.Render(request, "Confirm re-run", html.ToMarkup());
        }

        html.Append($"<form class=\"hd-confirm\" method=\"post\" action=\"{request.ActionUrl(e.Id, "rerun")}\" data-testid=\"rerun-form\">{request.AntiforgeryField()}\n");
        html.Append($"<input type=\"hidden\" name=\"step\" value=\"{step.Id}\">\n");
        html.Append($"<p><label>Reason <input name=\"reason\" maxlength=\"{DashboardEndpoints.MaxReasonLength}\" placeholder=\"optional\" data-testid=\"rerun-reason\"></label></p>\n");
        html.Append($"<p><label><input type=\"checkbox\" name=\"confirm\" value=\"yes\" required data-testid=\"rerun-confirm\"> I understand that {later.Length} step(s) will run again.</label></p>\n");
        html.Append($"<p><button type=\"submit\" class=\"hd-primary\" data-testid=\"rerun-button\">Re-run from {step.DisplayName}</button> <a href=\"{request.ExecutionUrl(e.Id)}\">Cancel</a></p>\n</form>\n");
        return Layout.Render(request, "Confirm re-run", html.ToMarkup());
    }
}
