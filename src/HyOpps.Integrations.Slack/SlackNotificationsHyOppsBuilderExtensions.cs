using HyOpps.Integrations.Slack;
using HyOpps.Integrations.Slack.Internal;

namespace HyOpps;

/// <summary>Adds the Slack channel notifier: execution failures and approvals as <c>chat.postMessage</c> messages.</summary>
[HyOppsIntegration("SlackNotifications", typeof(SlackNotificationOptions), "the Slack channel notifier (it posts through the Slack integration: call <c>AddSlack</c> too)")]
public static partial class SlackNotificationsHyOppsBuilderExtensions
{
    /// <summary>The name the notifier's deliveries are recorded under.</summary>
    public const string NotifierName = "slack";

    private static void AddServices(IHyOppsBuilder builder)
        => builder.AddNotifier(NotifierName, static sp => new SlackChannelNotifier(
            sp.GetService<SlackClient>() is null
                ? throw new InvalidOperationException("AddSlackNotifications posts through the Slack integration: call AddSlack(...) too.")
                : sp,
            sp.GetRequiredService<IOptions<SlackNotificationOptions>>(),
            sp.GetRequiredService<IOptions<SlackOptions>>(),
            sp.GetRequiredService<ILogger<SlackChannelNotifier>>()));
}
