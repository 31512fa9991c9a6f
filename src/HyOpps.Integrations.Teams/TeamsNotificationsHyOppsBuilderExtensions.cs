using HyOpps.Integrations.Teams;
using HyOpps.Integrations.Teams.Internal;

namespace HyOpps;

/// <summary>Adds the Microsoft Teams channel notifier: execution failures and approvals as channel messages through Microsoft Graph.</summary>
[HyOppsIntegration(
    "TeamsNotifications",
    typeof(TeamsNotificationOptions),
    "the Teams channel notifier (it posts through the Teams integration: call <c>AddTeams</c> too)",
    Validator = typeof(TeamsNotificationOptionsValidator))]
public static partial class TeamsNotificationsHyOppsBuilderExtensions
{
    /// <summary>The name the notifier's deliveries are recorded under.</summary>
    public const string NotifierName = "teams";

    private static void AddServices(IHyOppsBuilder builder)
        => builder.AddNotifier(NotifierName, static sp => new TeamsChannelNotifier(
            sp.GetService<TeamsTokenCredential>() is null
                ? throw new InvalidOperationException("AddTeamsNotifications posts through the Teams integration: call AddTeams(...) too.")
                : sp.GetRequiredService<IOptions<TeamsNotificationOptions>>(),
            sp.GetRequiredService<IOptions<TeamsOptions>>(),
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<TeamsChannelNotifier>>()));
}
