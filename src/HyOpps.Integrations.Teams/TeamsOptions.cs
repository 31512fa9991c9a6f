using HyOpps.Integrations.Teams.Internal;

namespace HyOpps.Integrations.Teams;

/// <summary>Settings of the Microsoft Teams integration (configuration section <c>HyOpps:Teams</c>).</summary>
/// <remarks>
/// The app registration needs the application permissions <c>User.Invite.All</c>, <c>User.Read.All</c>,
/// <c>TeamMember.ReadWrite.All</c> and <c>ChannelMember.ReadWrite.All</c>, granted with admin consent.
/// Leaving <see cref="TenantId"/>, <see cref="ClientId"/> and <see cref="ClientSecret"/> all empty means "not configured":
/// start-up logs a warning and the Teams steps fail at once naming these settings.
/// </remarks>
public sealed partial class TeamsOptions
{
    /// <summary>Gets or sets the Entra ID tenant (directory) id that owns the teams.</summary>
    public string? TenantId { get; set; }

    /// <summary>Gets or sets the application (client) id of the app registration.</summary>
    public string? ClientId { get; set; }

    /// <summary>Gets or sets the client secret of the app registration; never logged or written to outputs.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Gets or sets where a guest lands after redeeming the invitation. The default value is <c>https://teams.microsoft.com</c>.</summary>
    public string InviteRedirectUrl { get; set; } = "https://teams.microsoft.com";

    /// <summary>Gets or sets a value indicating whether Microsoft Graph emails the invitation to the guest. The default value is <see langword="true"/>.</summary>
    public bool SendInvitationMessage { get; set; } = true;

    /// <summary>Gets or sets the Microsoft Graph base URL, overridable for sovereign clouds and simulators. The default value is <c>https://graph.microsoft.com/v1.0</c>.</summary>
    /// <remarks>Plain http is accepted only for loopback hosts. The token scope is derived from it: <c>{scheme}://{host}/.default</c>.</remarks>
    public string GraphBaseUrl { get; set; } = "https://graph.microsoft.com/v1.0";

    /// <summary>Gets or sets the Entra ID authority host that issues tokens; must be https. The default value is <c>https://login.microsoftonline.com/</c>.</summary>
    /// <remarks>For a host other than the public, US Government and China clouds, instance discovery is turned off.</remarks>
    public string AuthorityHost { get; set; } = "https://login.microsoftonline.com/";

    /// <summary>Gets or sets the timeout of one HTTP attempt to Microsoft Graph or the token endpoint. The default value is 30 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how many times a throttled (429) or unavailable (502/503/504) Graph call is retried in place. The default value is 3.</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Gets or sets the longest <c>Retry-After</c> waited in place; a longer one fails the step as transient so the workflow runtime retries it later. The default value is 30 seconds.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how long a newly invited guest that Teams does not know yet (404 or 400 on adding) keeps being retried before the step fails. The default value is 10 minutes.</summary>
    public TimeSpan MembershipVisibilityTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets the delay the step asks the runtime to wait before retrying a guest that Teams does not know yet. The default value is 15 seconds.</summary>
    public TimeSpan MembershipVisibilityRetryDelay { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Gets a value indicating whether any credential is set; when none is, the integration is not configured.</summary>
    public bool IsConfigured =>
        !string.IsNullOrWhiteSpace(TenantId) || !string.IsNullOrWhiteSpace(ClientId) || !string.IsNullOrWhiteSpace(ClientSecret);

    /// <summary>Gets the keys to set for the integration to work, by full path.</summary>
    internal IReadOnlyList<string> RequiredSettings => [Key(nameof(TenantId)), Key(nameof(ClientId)), Key(nameof(ClientSecret))];

    /// <summary>Gets the message the steps fail with, and start-up warns with, while Teams is not configured.</summary>
    internal string NotConfiguredMessage
        => IntegrationMessages.NotConfigured(
            "Microsoft Teams",
            $"{Key(nameof(TenantId))}, {Key(nameof(ClientId))} and {Key(nameof(ClientSecret))} (an Entra ID app registration with "
            + $"the application permissions {TeamsMessages.InvitePermission}, {TeamsMessages.ReadUsersPermission}, {TeamsMessages.TeamMemberPermission} "
            + $"and {TeamsMessages.ChannelMemberPermission}, granted with admin consent)");
}
