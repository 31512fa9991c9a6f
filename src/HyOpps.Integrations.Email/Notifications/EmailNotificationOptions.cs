namespace HyOpps.Integrations.Email;

/// <summary>Who gets execution notifications by email, bound from <c>HyOpps:EmailNotifications</c>; sent through the SMTP settings of <see cref="EmailOptions"/>.</summary>
public sealed class EmailNotificationOptions
{
    /// <summary>The default configuration section, <c>HyOpps:EmailNotifications</c>.</summary>
    public const string DefaultSectionName = "HyOpps:EmailNotifications";

    /// <summary>Gets the addresses every notification is sent to; at least one is required.</summary>
    public IList<string> To { get; } = [];

    /// <summary>Gets or sets the text put before each subject. The default value is <c>[HyOpps]</c>.</summary>
    public string SubjectPrefix { get; set; } = "[HyOpps]";

    /// <summary>Gets the configuration path used in messages.</summary>
    internal string SectionPath { get; set; } = DefaultSectionName;
}
