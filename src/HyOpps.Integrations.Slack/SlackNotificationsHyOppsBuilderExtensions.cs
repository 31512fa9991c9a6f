using HyOpps.Integrations.Shared;
using HyOpps.Integrations.Slack;
using HyOpps.Integrations.Slack.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyOpps;

/// <summary>Adds the Slack channel notifier: execution failures and approvals as <c>chat.postMessage</c> messages.</summary>
public static class SlackNotificationsHyOppsBuilderExtensions
{
    /// <summary>The name the notifier's deliveries are recorded under.</summary>
    public const string NotifierName = "slack";

    /// <summary>Adds the Slack notifier, binding <c>HyOpps:SlackNotifications</c> when an <see cref="IConfiguration"/> is registered; needs <c>AddSlack</c>.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IHyOppsBuilder AddSlackNotifications(this IHyOppsBuilder builder) => AddCore(builder, section: null, configure: null);

    /// <summary>Adds the Slack notifier, binding <c>HyOpps:SlackNotifications</c> when present and then configured by <paramref name="configure"/>.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <param name="configure">Sets the notifier's settings, for example <see cref="SlackNotificationOptions.ChannelSelector"/>; runs after the binding.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IHyOppsBuilder AddSlackNotifications(this IHyOppsBuilder builder, Action<SlackNotificationOptions> configure)
        => AddCore(builder, section: null, configure ?? throw new ArgumentNullException(nameof(configure)));

    /// <summary>Adds the Slack notifier with settings bound from a configuration section; unknown keys are errors.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <param name="section">The section, for example <c>configuration.GetSection("HyOpps:SlackNotifications")</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IHyOppsBuilder AddSlackNotifications(this IHyOppsBuilder builder, IConfigurationSection section)
        => AddCore(builder, section ?? throw new ArgumentNullException(nameof(section)), configure: null);

    private static IHyOppsBuilder AddCore(IHyOppsBuilder builder, IConfigurationSection? section, Action<SlackNotificationOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!IntegrationOptions.Add(builder.Services, SlackNotificationOptions.DefaultSectionName, section, configure, static (o, path) => o.SectionPath = path))
        {
            return builder;
        }

        return builder.AddNotifier(NotifierName, static sp => new SlackChannelNotifier(
            sp.GetService<SlackClient>() is null
                ? throw new InvalidOperationException("AddSlackNotifications posts through the Slack integration: call AddSlack(...) too.")
                : sp,
            sp.GetRequiredService<IOptions<SlackNotificationOptions>>(),
            sp.GetRequiredService<IOptions<SlackOptions>>(),
            sp.GetRequiredService<ILogger<SlackChannelNotifier>>()));
    }
}
