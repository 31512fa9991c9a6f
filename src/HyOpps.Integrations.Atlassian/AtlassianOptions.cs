namespace HyOpps.Integrations.Atlassian;

/// <summary>Settings of the Atlassian integration, bound from the section <c>HyOpps:Atlassian</c> by default.</summary>
/// <remarks>
/// When no setting is given at all the integration is "not configured": start-up logs a warning and its steps fail
/// with a message naming the settings. A partial or malformed configuration fails at start-up.
/// </remarks>
public sealed partial class AtlassianOptions
{
    /// <summary>Gets or sets the site URL, for example <c>https://your-site.atlassian.net</c>. Required once anything is configured.</summary>
    public Uri? SiteUrl { get; set; }

    /// <summary>Gets or sets the email of the Atlassian account whose API token authenticates site calls. It needs site admin permission.</summary>
    public string? Email { get; set; }

    /// <summary>Gets or sets the API token of <see cref="Email"/>'s account (created at id.atlassian.com); a secret.</summary>
    public string? ApiToken { get; set; }

    /// <summary>Gets or sets an optional organization admin API key (Atlassian Administration, Settings, API keys) used to invite people who have no account yet; a secret.</summary>
    public string? OrgAdminApiKey { get; set; }

    /// <summary>Gets or sets the organization id that <see cref="OrgAdminApiKey"/> belongs to; required with it.</summary>
    public string? OrgId { get; set; }

    /// <summary>Gets or sets the base URL of the Organization Admin API. The default value is <c>https://api.atlassian.com/</c>.</summary>
    public Uri AdminApiBaseUrl { get; set; } = new("https://api.atlassian.com/");

    /// <summary>
    /// Gets the products (for example <c>jira-software</c>) that a site invite through <c>POST /rest/api/3/user</c> grants.
    /// When not empty and no <see cref="OrgAdminApiKey"/> is set, a person without an account is invited to the site this way.
    /// The default value is empty (no site invites).
    /// </summary>
    public IList<string> Products { get; } = [];

    /// <summary>Gets or sets the timeout of one HTTP attempt. The default value is 30 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how many times one request is retried in-process after 429, 5xx or a network failure. The default value is 3.</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>
    /// Gets or sets the longest <c>Retry-After</c> waited for in-process; a longer one fails the attempt as transient with
    /// that delay, so the workflow runtime waits durably. The default value is 30 seconds.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how long the step asks the runtime to wait before looking again for an invited person's account. The default value is 15 seconds.</summary>
    public TimeSpan InvitePollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Gets or sets how long after an invite the step keeps waiting for the account before failing permanently. The default value is 10 minutes.</summary>
    public TimeSpan InviteTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets the first delay of in-process retries without <c>Retry-After</c>; short in tests.</summary>
    internal TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets a value indicating whether any setting is given.</summary>
    internal bool IsConfigured
        => SiteUrl is not null
        || !string.IsNullOrWhiteSpace(Email)
        || !string.IsNullOrWhiteSpace(ApiToken)
        || !string.IsNullOrWhiteSpace(OrgAdminApiKey)
        || !string.IsNullOrWhiteSpace(OrgId);

    /// <summary>Gets a value indicating whether the Organization Admin API can be used for invites.</summary>
    internal bool HasOrgAdminApi => !string.IsNullOrWhiteSpace(OrgAdminApiKey) && !string.IsNullOrWhiteSpace(OrgId);

    /// <summary>Gets the keys to set for the integration to work, by full path.</summary>
    internal IReadOnlyList<string> RequiredSettings => [Key(nameof(SiteUrl)), Key(nameof(Email)), Key(nameof(ApiToken))];

    internal string NotConfiguredMessage
        => IntegrationMessages.NotConfigured(
            "Atlassian",
            $"{Key(nameof(SiteUrl))} (https://<site>.atlassian.net), {Key(nameof(Email))} and {Key(nameof(ApiToken))} (an API token "
            + $"of a site admin account), and optionally {Key(nameof(OrgAdminApiKey))} and {Key(nameof(OrgId))} to invite people who have no Atlassian account");
}
