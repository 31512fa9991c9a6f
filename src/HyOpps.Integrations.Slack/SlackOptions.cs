namespace HyOpps.Integrations.Slack;

/// <summary>Settings of the Slack integration, bound from the configuration section <c>HyOpps:Slack</c>.</summary>
/// <remarks>
/// With no <see cref="BotToken"/> (and no root key <c>SLACK_BOT_TOKEN</c>) the integration is not configured:
/// start-up logs a warning and the Slack steps fail at once with a message naming the settings.
/// Tokens are secrets: they are sent only in the <c>Authorization</c> header and never logged.
/// </remarks>
public sealed partial class SlackOptions
{
    /// <summary>The root configuration key (for example an environment variable) read when <see cref="BotToken"/> is not set.</summary>
    public const string BotTokenEnvironmentKey = "SLACK_BOT_TOKEN";

    /// <summary>Gets or sets the token used for every method except <c>admin.users.invite</c>.</summary>
    /// <remarks>
    /// Usually a bot token (<c>xoxb-</c>) with the scopes <c>users:read</c>, <c>users:read.email</c>, <c>usergroups:read</c>,
    /// <c>usergroups:write</c> and, for channel invites, <c>channels:manage</c> / <c>groups:write</c>. A bot token can change
    /// user groups only when the workspace setting "who can modify user groups" allows everyone; otherwise use a user token
    /// (<c>xoxp-</c>) of a member who may. The default value is <see langword="null"/> (then <c>SLACK_BOT_TOKEN</c> is read).
    /// </remarks>
    public string? BotToken { get; set; }

    /// <summary>Gets or sets the optional user token with <c>admin.users:write</c> (Enterprise Grid) used to invite people who have no Slack account yet.</summary>
    /// <remarks>The default value is <see langword="null"/>: people without an account fail the step with a message to invite them.</remarks>
    public string? AdminToken { get; set; }

    /// <summary>Gets or sets the workspace id (<c>T...</c>) that <c>admin.users.invite</c> invites into; required with <see cref="AdminToken"/>.</summary>
    /// <remarks>The default value is <see langword="null"/>.</remarks>
    public string? TeamId { get; set; }

    /// <summary>Gets or sets the comma-separated channel ids (<c>C...</c>) an invitation joins when the org names no Slack channel; Slack requires at least one.</summary>
    /// <remarks>The default value is <see langword="null"/>.</remarks>
    public string? InviteChannelIds { get; set; }

    /// <summary>Gets or sets the Web API base URL that method names are appended to.</summary>
    /// <remarks>The default value is <c>https://slack.com/api/</c>.</remarks>
    public Uri BaseUrl { get; set; } = new("https://slack.com/api/");

    /// <summary>Gets or sets the timeout of one HTTP attempt.</summary>
    /// <remarks>The default value is 30 seconds.</remarks>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how many times one call is retried after a transient HTTP failure (5xx, 429, timeout, network).</summary>
    /// <remarks>The default value is 3.</remarks>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Gets or sets the base delay of the exponential back-off between HTTP retries when Slack gives no <c>Retry-After</c>.</summary>
    /// <remarks>The default value is 1 second.</remarks>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the longest <c>Retry-After</c> waited in-process; a longer one fails the call as rate limited so the workflow runtime retries the step later.</summary>
    /// <remarks>The default value is 30 seconds.</remarks>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how many times the step looks for an invited person's account before it gives up.</summary>
    /// <remarks>The default value is 10. Each look is one step attempt, so the workflow's retry policy bounds it too.</remarks>
    public int AccountWaitAttempts { get; set; } = 10;

    /// <summary>Gets or sets how long the step asks the runtime to wait between looks for an invited person's account.</summary>
    /// <remarks>The default value is 1 minute.</remarks>
    public TimeSpan AccountWaitInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets a value indicating whether a bot token is set, that is whether the integration is configured at all.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(BotToken);

    internal bool CanInvite => !string.IsNullOrWhiteSpace(AdminToken) && !string.IsNullOrWhiteSpace(TeamId);

    internal string NotConfiguredMessage
        => IntegrationMessages.NotConfigured(
            "Slack",
            $"{Key(nameof(BotToken))} (or the environment variable {BotTokenEnvironmentKey}) to a Slack token with the scopes "
            + "users:read, users:read.email, usergroups:read and usergroups:write");

    /// <summary>Gets the keys to set for the integration to work, by full path.</summary>
    internal IReadOnlyList<string> RequiredSettings => [Key(nameof(BotToken))];

    internal IReadOnlyList<string> GetInviteChannelIds()
        => (InviteChannelIds ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
