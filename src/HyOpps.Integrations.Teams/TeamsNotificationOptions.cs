using Azure.Core;
using HyOpps.Workflows.Notifications;

namespace HyOpps.Integrations.Teams;

/// <summary>Settings of the Microsoft Teams channel notifier, bound from the configuration section <c>HyOpps:TeamsNotifications</c>.</summary>
/// <remarks>
/// <para>
/// Microsoft Graph lets an app post a channel message only on behalf of a signed-in user: the delegated permission
/// <c>ChannelMessage.Send</c>. With application permissions Graph answers 401 ("allowed in application-only context only for
/// import purposes"). So the notifier posts as a user (a service account that is a member of the teams): give it a
/// <see cref="RefreshToken"/> of that user for the integration's app registration (<see cref="TeamsOptions.ClientId"/> and
/// <see cref="TeamsOptions.ClientSecret"/>), or a delegated <see cref="Credential"/> of your own.
/// </para>
/// <para>Entra ID refresh tokens live 90 days; the notifier uses the ones Entra returns in memory, so set a new one before the configured one expires, or use <see cref="Credential"/> with a persistent token cache.</para>
/// </remarks>
public sealed partial class TeamsNotificationOptions
{
    /// <summary>Gets or sets the team id of the channel that gets every notification <see cref="ChannelSelector"/> does not place.</summary>
    /// <remarks>Set with <see cref="ChannelId"/>. The default value is <see langword="null"/>.</remarks>
    public string? TeamId { get; set; }

    /// <summary>Gets or sets the channel id (<c>19:…@thread.tacv2</c>) in <see cref="TeamId"/> that gets every notification <see cref="ChannelSelector"/> does not place.</summary>
    /// <remarks>The default value is <see langword="null"/>: without a selector's answer, a notification is not posted.</remarks>
    public string? ChannelId { get; set; }

    /// <summary>Gets or sets a refresh token of the user messages are posted as, issued to the integration's app registration with the scopes <c>ChannelMessage.Send offline_access</c>; a secret, never logged.</summary>
    /// <remarks>The default value is <see langword="null"/>.</remarks>
    public string? RefreshToken { get; set; }

    /// <summary>Gets or sets a delegated credential to post with instead of <see cref="RefreshToken"/>; set in code only.</summary>
    /// <remarks>It is asked for the scope <c>{Graph host}/ChannelMessage.Send</c>. The default value is <see langword="null"/>.</remarks>
    public TokenCredential? Credential { get; set; }

    /// <summary>Gets or sets a function that picks the channel of one notification, for example the channel of the org in its labels.</summary>
    /// <remarks>
    /// Returning <see langword="null"/> falls back to <see cref="TeamId"/> and <see cref="ChannelId"/>. Set in code only; it runs on
    /// the notification dispatcher, and an exception it throws fails this delivery, to be retried. The default value is <see langword="null"/>.
    /// </remarks>
    public Func<ExecutionNotification, CancellationToken, ValueTask<TeamsChannelAddress?>>? ChannelSelector { get; set; }
}
