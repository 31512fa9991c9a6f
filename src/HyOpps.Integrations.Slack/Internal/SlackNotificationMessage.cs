using System.Text;
using System.Text.Json.Nodes;
using HyOpps.Workflows.Notifications;

namespace HyOpps.Integrations.Slack.Internal;

/// <summary>Builds the Slack message of a notification from its kind, workflow, step, summary and dashboard link, and nothing else.</summary>
/// <remarks>Labels are never shown: they serve routing and may name a person (an email used as a label).</remarks>
internal static class SlackNotificationMessage
{
    public static SlackChatMessage Create(ExecutionNotification notification, string channelId)
    {
        var headline = new StringBuilder()
            .Append(Title(notification.Kind))
            .Append(" in `").Append(Escape(notification.WorkflowName)).Append('`');
        if (notification.StepId is { Length: > 0 } step)
        {
            headline.Append(" (step `").Append(Escape(step)).Append("`)");
        }

        var summary = Escape(notification.Summary);
        var link = notification.DashboardUrl is { } url ? $"<{Escape(url.AbsoluteUri)}|Open the execution in the HyOpps dashboard>" : null;
        var text = link is null ? $"{headline}\n{summary}" : $"{headline}\n{summary}\n{link}";

        JsonArray blocks =
        [
            new JsonObject
            {
                ["type"] = "section",
                ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = $"{headline}\n{summary}" },
            },
        ];
        if (link is not null)
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "context",
                ["elements"] = new JsonArray(new JsonObject { ["type"] = "mrkdwn", ["text"] = link }),
            });
        }

        return new SlackChatMessage(channelId, text, blocks);
    }

    private static string Title(ExecutionNotificationKind kind) => kind switch
    {
        ExecutionNotificationKind.ExecutionFailed => ":x: *Execution failed*",
        ExecutionNotificationKind.StepFailedPermanently => ":warning: *Step failed permanently*",
        ExecutionNotificationKind.WaitingForApproval => ":raised_hand: *Waiting for approval*",
        _ => "*" + kind + "*",
    };

    // Slack reads &, < and > as control characters of its mrkdwn (links, mentions); everything else is literal.
    private static string Escape(string text)
        => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
