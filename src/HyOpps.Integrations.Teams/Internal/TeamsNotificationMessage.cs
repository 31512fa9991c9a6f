using System.Net;
using System.Text;
using HyOpps.Workflows.Notifications;

namespace HyOpps.Integrations.Teams.Internal;

/// <summary>Builds the HTML body of a Teams channel message from a notification's kind, workflow, step, summary and dashboard link, and nothing else.</summary>
/// <remarks>Labels are never shown: they serve routing and may name a person (an email used as a label).</remarks>
internal static class TeamsNotificationMessage
{
    public static string ToHtml(ExecutionNotification notification)
    {
        var html = new StringBuilder()
            .Append("<p><strong>").Append(Encode(Title(notification.Kind))).Append("</strong> in <code>")
            .Append(Encode(notification.WorkflowName)).Append("</code>");
        if (notification.StepId is { Length: > 0 } step)
        {
            html.Append(" (step <code>").Append(Encode(step)).Append("</code>)");
        }

        html.Append("</p><p>").Append(Encode(notification.Summary)).Append("</p>");

        // The options allow only absolute http(s) dashboard addresses, so the link cannot carry a script scheme.
        if (notification.DashboardUrl is { Scheme: "https" or "http" } url)
        {
            html.Append("<p><a href=\"").Append(Encode(url.AbsoluteUri)).Append("\">Open the execution in the HyOpps dashboard</a></p>");
        }

        return html.ToString();
    }

    private static string Title(ExecutionNotificationKind kind) => kind switch
    {
        ExecutionNotificationKind.ExecutionFailed => "Execution failed",
        ExecutionNotificationKind.StepFailedPermanently => "Step failed permanently",
        ExecutionNotificationKind.WaitingForApproval => "Waiting for approval",
        _ => kind.ToString(),
    };

    // WebUtility.HtmlEncode escapes <, >, &, " and ' — enough for text and for a double-quoted attribute.
    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
