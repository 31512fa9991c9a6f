namespace HyOpps.Integrations.Teams.Internal;

/// <summary>Checks that a default channel names both its team and its channel.</summary>
internal sealed class TeamsNotificationOptionsValidator : IntegrationOptionsValidator<TeamsNotificationOptions>
{
    protected override void Validate(TeamsNotificationOptions options, List<string> failures)
    {
        var hasTeam = !string.IsNullOrWhiteSpace(options.TeamId);
        var hasChannel = !string.IsNullOrWhiteSpace(options.ChannelId);
        if (hasTeam != hasChannel)
        {
            var (set, missing) = hasTeam ? (nameof(options.TeamId), nameof(options.ChannelId)) : (nameof(options.ChannelId), nameof(options.TeamId));
            failures.Add($"{options.Key(missing)} is required when {options.Key(set)} is set: a Teams channel is named by both.");
        }
    }
}
