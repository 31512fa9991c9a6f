namespace HyOpps.Integrations.Email;

/// <summary>Who gets execution notifications by email, bound from <c>HyOpps:EmailNotifications</c>; sent through the SMTP settings of <see cref="EmailOptions"/>.</summary>
public sealed partial class EmailNotificationOptions
{
    /// <summary>Gets the addresses every notification is sent to; at least one is required.</summary>
    public IList<string> To { get; } = [];

    /// <summary>Gets or sets the text put before each subject. The default value is <c>[HyOpps]</c>.</summary>
    public string SubjectPrefix { get; set; } = "[HyOpps]";
}
