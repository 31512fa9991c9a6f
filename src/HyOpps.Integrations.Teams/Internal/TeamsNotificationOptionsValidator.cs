using Microsoft.Extensions.Options;

namespace HyOpps.Integrations.Teams.Internal;

/// <summary>Checks that a default channel names both its team and its channel.</summary>
internal sealed class TeamsNotificationOptionsValidator : IValidateOptions<TeamsNotificationOptions>
{
    public ValidateOptionsResult Validate(string? name, TeamsNotificationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var hasTeam = !string.IsNullOrWhiteSpace(options.TeamId);
        var hasChannel = !string.IsNullOrWhiteSpace(options.ChannelId);
        if (hasTeam == hasChannel)
        {
            return ValidateOptionsResult.Success;
        }

        var (set, missing) = hasTeam ? (nameof(options.TeamId), nameof(options.ChannelId)) : (nameof(options.ChannelId), nameof(options.TeamId));
        return ValidateOptionsResult.Fail($"{options.Key(missing)} is required when {options.Key(set)} is set: a Teams channel is named by both.");
    }
}
