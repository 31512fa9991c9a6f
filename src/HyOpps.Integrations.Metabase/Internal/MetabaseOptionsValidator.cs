namespace HyOpps.Integrations.Metabase.Internal;

/// <summary>Validates <see cref="MetabaseOptions"/> at start-up; every message names the configuration key to fix.</summary>
/// <remarks>Nothing set at all is valid: the integration is then "not configured" and only warns.</remarks>
internal sealed class MetabaseOptionsValidator : IntegrationOptionsValidator<MetabaseOptions>
{
    protected override void Validate(MetabaseOptions options, List<string> failures)
    {
        var p = options.SectionPath;

        IntegrationMessages.CheckRange(failures, $"{p}:Timeout", options.Timeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1));

        IntegrationMessages.CheckRange(failures, $"{p}:MaxRetryAttempts", options.MaxRetryAttempts, 0, 10);

        IntegrationMessages.CheckRange(failures, $"{p}:RetryDelay", options.RetryDelay, TimeSpan.Zero, TimeSpan.FromMinutes(5));

        IntegrationMessages.CheckRange(failures, $"{p}:MaxRetryAfter", options.MaxRetryAfter, TimeSpan.Zero, TimeSpan.FromHours(1));

        if (options.IsConfigured)
        {
            ValidateConnection(options, p, failures);
        }
    }

    private static void ValidateConnection(MetabaseOptions options, string p, List<string> failures)
    {
        if (options.BaseUrl is null)
        {
            failures.Add($"{p}:BaseUrl is required when Metabase credentials are set: give the absolute URL of the Metabase site, for example https://metabase.example.com/.");
        }
        else if (!options.BaseUrl.IsAbsoluteUri || (options.BaseUrl.Scheme != Uri.UriSchemeHttp && options.BaseUrl.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{p}:BaseUrl must be an absolute http or https URL (was '{options.BaseUrl.OriginalString}').");
        }
        else if (!string.IsNullOrEmpty(options.BaseUrl.Query) || !string.IsNullOrEmpty(options.BaseUrl.Fragment))
        {
            failures.Add($"{p}:BaseUrl must not have a query or fragment (was '{options.BaseUrl.OriginalString}').");
        }

        var hasKey = !string.IsNullOrWhiteSpace(options.ApiKey);
        var hasUser = !string.IsNullOrWhiteSpace(options.Username);
        var hasPassword = !string.IsNullOrWhiteSpace(options.Password);
        if (hasKey && (hasUser || hasPassword))
        {
            failures.Add($"Set either {p}:ApiKey or {p}:Username and {p}:Password, not both.");
        }
        else if (!hasKey && !hasUser && !hasPassword)
        {
            failures.Add($"{p}:BaseUrl is set but no credentials are: set {p}:ApiKey (an API key in the Administrators group) or {p}:Username and {p}:Password of a Metabase administrator.");
        }
        else if (hasUser && !hasPassword)
        {
            failures.Add($"{p}:Password is required with {p}:Username.");
        }
        else if (hasPassword && !hasUser)
        {
            failures.Add($"{p}:Username is required with {p}:Password.");
        }
    }
}
