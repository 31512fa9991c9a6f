namespace HyOpps.Workflows;

/// <content>Notifications.</content>
public sealed partial class HyOppsOptions
{
    /// <summary>Gets how execution notifications are delivered, bound from <c>HyOpps:Runtime:Notifications</c>.</summary>
    public HyOppsNotificationOptions Notifications { get; } = new();
}
