namespace HyOpps.SampleHost.Notifications;

/// <summary>The global notification target, bound from the <c>Notifications</c> section: used for executions whose org sets none.</summary>
public sealed class SampleNotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>Gets or sets the address notification emails go to.</summary>
    public string? Email { get; set; }

    /// <summary>Gets or sets the Slack channel notifications are posted to.</summary>
    public string? SlackChannelId { get; set; }

    /// <summary>Gets or sets the team of <see cref="TeamsChannelId"/>.</summary>
    public string? TeamsTeamId { get; set; }

    /// <summary>Gets or sets the Teams channel notifications are posted to.</summary>
    public string? TeamsChannelId { get; set; }
}
