namespace HyOpps.Integrations.Metabase;

/// <summary>Settings of the Metabase integration, bound from the section <c>HyOpps:Metabase</c> by default.</summary>
/// <remarks>
/// Authenticate with either <see cref="ApiKey"/> (Metabase 49 and later; the key must be in the Administrators group) or
/// <see cref="Username"/> and <see cref="Password"/> of a Metabase administrator (a session token, cached and renewed when it
/// expires). With nothing set the integration is not configured: start-up logs a warning and the Metabase steps fail with a
/// message naming these settings.
/// </remarks>
public sealed partial class MetabaseOptions
{
    /// <summary>Gets or sets the absolute http or https URL of the Metabase site, for example <c>https://metabase.example.com/</c>. The default value is <see langword="null"/>.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>Gets or sets the API key sent in the <c>x-api-key</c> header. The default value is <see langword="null"/>.</summary>
    [Secret]
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the email of the administrator that logs in, when no <see cref="ApiKey"/> is set. The default value is <see langword="null"/>.</summary>
    public string? Username { get; set; }

    /// <summary>Gets or sets the password of <see cref="Username"/>. The default value is <see langword="null"/>.</summary>
    [Secret]
    public string? Password { get; set; }

    /// <summary>Gets or sets how long one HTTP attempt may take. The default value is 30 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how many times a request is retried after a 5xx, 408, 429, a network error or a timeout (0 to 10). The default value is 3.</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Gets or sets the delay before the first retry; later retries back off exponentially with jitter. The default value is 1 second.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gets or sets the longest <c>Retry-After</c> the client waits out itself; a longer one is handed to the workflow runtime,
    /// which retries the step later. The default value is 30 seconds.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets a value indicating whether anything that connects to Metabase is set.</summary>
    internal bool IsConfigured
        => BaseUrl is not null || !string.IsNullOrWhiteSpace(ApiKey) || !string.IsNullOrWhiteSpace(Username) || !string.IsNullOrWhiteSpace(Password);

    /// <summary>Gets a value indicating whether the API key is used rather than a session.</summary>
    internal bool UsesApiKey => !string.IsNullOrWhiteSpace(ApiKey);

    /// <summary>Gets the settings a person should check when Metabase rejects the credentials.</summary>
    internal string CredentialSettings => UsesApiKey
        ? $"{SectionPath}:ApiKey"
        : $"{SectionPath}:Username and {SectionPath}:Password";

    /// <summary>Gets the keys to set for the integration to work, by full path.</summary>
    internal IReadOnlyList<string> RequiredSettings => [Key(nameof(BaseUrl)), Key(nameof(ApiKey))];

    /// <summary>Gets the message of the not-configured failure.</summary>
    internal string NotConfiguredMessage
        => IntegrationMessages.NotConfigured(
            "Metabase",
            $"{SectionPath}:BaseUrl and {SectionPath}:ApiKey (or {SectionPath}:Username and {SectionPath}:Password of a Metabase administrator)");
}
