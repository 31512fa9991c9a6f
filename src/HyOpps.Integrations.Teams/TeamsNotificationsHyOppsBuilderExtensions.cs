using HyOpps.Integrations.Shared;
using HyOpps.Integrations.Teams;
using HyOpps.Integrations.Teams.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyOpps;

/// <summary>Adds the Microsoft Teams channel notifier: execution failures and approvals as channel messages through Microsoft Graph.</summary>
public static class TeamsNotificationsHyOppsBuilderExtensions
{
    /// <summary>The name the notifier's deliveries are recorded under.</summary>
    public const string NotifierName = "teams";

    /// <summary>Adds the Teams notifier, binding <c>HyOpps:TeamsNotifications</c> when an <see cref="IConfiguration"/> is registered; needs <c>AddTeams</c>.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IHyOppsBuilder AddTeamsNotifications(this IHyOppsBuilder builder) => AddCore(builder, section: null, configure: null);

    /// <summary>Adds the Teams notifier, binding <c>HyOpps:TeamsNotifications</c> when present and then configured by <paramref name="configure"/>.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <param name="configure">Sets the notifier's settings, for example <see cref="TeamsNotificationOptions.ChannelSelector"/>; runs after the binding.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IHyOppsBuilder AddTeamsNotifications(this IHyOppsBuilder builder, Action<TeamsNotificationOptions> configure)
        => AddCore(builder, section: null, configure ?? throw new ArgumentNullException(nameof(configure)));

    /// <summary>Adds the Teams notifier with settings bound from a configuration section; unknown keys are errors.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <param name="section">The section, for example <c>configuration.GetSection("HyOpps:TeamsNotifications")</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IHyOppsBuilder AddTeamsNotifications(this IHyOppsBuilder builder, IConfigurationSection section)
        => AddCore(builder, section ?? throw new ArgumentNullException(nameof(section)), configure: null);

    private static IHyOppsBuilder AddCore(IHyOppsBuilder builder, IConfigurationSection? section, Action<TeamsNotificationOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!IntegrationOptions.Add(builder.Services, TeamsNotificationOptions.DefaultSectionName, section, configure, static (o, path) => o.SectionPath = path))
        {
            return builder;
        }

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TeamsNotificationOptions>, TeamsNotificationOptionsValidator>());
        return builder.AddNotifier(NotifierName, static sp => new TeamsChannelNotifier(
            sp.GetService<TeamsTokenCredential>() is null
                ? throw new InvalidOperationException("AddTeamsNotifications posts through the Teams integration: call AddTeams(...) too.")
                : sp.GetRequiredService<IOptions<TeamsNotificationOptions>>(),
            sp.GetRequiredService<IOptions<TeamsOptions>>(),
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<TeamsChannelNotifier>>()));
    }
}
