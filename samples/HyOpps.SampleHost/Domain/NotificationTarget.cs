namespace HyOpps.SampleHost.Domain;

/// <summary>Where execution notifications go: an email address, a Slack channel, a Teams channel; any may be unset.</summary>
public sealed record NotificationTarget
{
    /// <summary>Gets the target with nothing set.</summary>
    public static NotificationTarget None { get; } = new();

    public string? Email { get; init; }

    public string? SlackChannelId { get; init; }

    public string? TeamsTeamId { get; init; }

    public string? TeamsChannelId { get; init; }

    /// <summary>Gets a value indicating whether nothing is set (an org without its own target uses the global one).</summary>
    public bool IsEmpty => Email is null && SlackChannelId is null && TeamsTeamId is null && TeamsChannelId is null;
}
