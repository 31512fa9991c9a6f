using HyOpps.SampleHost.Api;
using Microsoft.Extensions.Options;

namespace HyOpps.SampleHost.Notifications;

/// <summary>
/// Wires execution notifications: every failure and approval wait goes to its org's target (set on the org) or the global
/// one (the <c>Notifications</c> section), on each channel that target has an address on.
/// </summary>
internal static class SampleNotifications
{
    public static IHyOppsBuilder AddSampleNotifications(this IHyOppsBuilder hyopps)
    {
        var services = hyopps.Services;
        services.AddOptions<SampleNotificationOptions>()
            .BindConfiguration(SampleNotificationOptions.Section, o => o.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SampleNotificationOptions>, SampleNotificationOptionsValidator>();
        services.AddSingleton<NotificationRouter>();

        // The channels. A Slack or Teams channel plugs in the same way: a class implementing INotificationChannel, added
        // here under its own name (the runtime records each channel's deliveries by it).
        return hyopps.AddChannel<EmailNotificationChannel>("sample-email");
    }

    private static IHyOppsBuilder AddChannel<TChannel>(this IHyOppsBuilder hyopps, string name)
        where TChannel : class, INotificationChannel
    {
        hyopps.Services.AddSingleton<TChannel>();
        return hyopps.AddNotifier(name, sp => new RoutedNotifier(sp.GetRequiredService<TChannel>(), sp.GetRequiredService<NotificationRouter>()));
    }

    /// <summary>Checks the global target the way the org form checks an org's, naming the keys.</summary>
    private sealed class SampleNotificationOptionsValidator : IValidateOptions<SampleNotificationOptions>
    {
        public ValidateOptionsResult Validate(string? name, SampleNotificationOptions options)
        {
            var errors = new FieldErrors();
            NotificationTargetRules.Validate(
                errors,
                new OrgRequest(null, null, null, null, null, null, null, null, null, null, options.Email, options.SlackChannelId, options.TeamsTeamId, options.TeamsChannelId),
                OrgEndpoints.ExternalId);
            return errors.Any
                ? ValidateOptionsResult.Fail(errors.Errors.SelectMany(e => e.Value.Select(m => $"{SampleNotificationOptions.Section}:{Key(e.Key)}: {m}")))
                : ValidateOptionsResult.Success;
        }

        private static string Key(string field) => field switch
        {
            "notification_email" => nameof(SampleNotificationOptions.Email),
            "notification_slack_channel_id" => nameof(SampleNotificationOptions.SlackChannelId),
            "notification_teams_team_id" => nameof(SampleNotificationOptions.TeamsTeamId),
            _ => nameof(SampleNotificationOptions.TeamsChannelId),
        };
    }
}
