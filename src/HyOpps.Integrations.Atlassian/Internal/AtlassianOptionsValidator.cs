namespace HyOpps.Integrations.Atlassian.Internal;

/// <summary>Validates <see cref="AtlassianOptions"/> at start-up: nothing configured is allowed (steps then fail as not configured); half a configuration is not.</summary>
internal sealed class AtlassianOptionsValidator : IntegrationOptionsValidator<AtlassianOptions>
{
    protected override void Validate(AtlassianOptions options, List<string> failures)
    {
        CheckUrl(failures, options.Key(nameof(AtlassianOptions.AdminApiBaseUrl)), options.AdminApiBaseUrl, required: true);
        IntegrationMessages.CheckRange(failures, options.Key(nameof(AtlassianOptions.Timeout)), options.Timeout, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(10));

        IntegrationMessages.CheckRange(failures, options.Key(nameof(AtlassianOptions.MaxRetryAttempts)), options.MaxRetryAttempts, 0, 10);

        if (options.MaxRetryAfter < TimeSpan.Zero)
        {
            failures.Add($"{options.Key(nameof(AtlassianOptions.MaxRetryAfter))} must not be negative (was {options.MaxRetryAfter}).");
        }

        if (options.InvitePollInterval <= TimeSpan.Zero)
        {
            failures.Add($"{options.Key(nameof(AtlassianOptions.InvitePollInterval))} must be positive (was {options.InvitePollInterval}).");
        }

        if (options.InviteTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{options.Key(nameof(AtlassianOptions.InviteTimeout))} must be positive (was {options.InviteTimeout}).");
        }

        if (options.Products.Any(string.IsNullOrWhiteSpace))
        {
            failures.Add($"{options.Key(nameof(AtlassianOptions.Products))} must not contain empty entries.");
        }

        if (options.IsConfigured)
        {
            CheckUrl(failures, options.Key(nameof(AtlassianOptions.SiteUrl)), options.SiteUrl, required: true);
            Require(failures, options.Key(nameof(AtlassianOptions.Email)), options.Email, "the email of the account that owns the API token");
            Require(failures, options.Key(nameof(AtlassianOptions.ApiToken)), options.ApiToken, "an API token of that account");
            var hasKey = !string.IsNullOrWhiteSpace(options.OrgAdminApiKey);
            var hasOrg = !string.IsNullOrWhiteSpace(options.OrgId);
            if (hasKey != hasOrg)
            {
                failures.Add(hasKey
                    ? $"{options.Key(nameof(AtlassianOptions.OrgId))} is required with {options.Key(nameof(AtlassianOptions.OrgAdminApiKey))}: set the organization id (shown in the Atlassian Administration URL)."
                    : $"{options.Key(nameof(AtlassianOptions.OrgAdminApiKey))} is required with {options.Key(nameof(AtlassianOptions.OrgId))}: set an organization API key, or remove {options.Key(nameof(AtlassianOptions.OrgId))}.");
            }
        }
    }

    private static void Require(List<string> failures, string key, string? value, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            failures.Add($"{key} is required once Atlassian is configured: set {what}.");
        }
    }

    private static void CheckUrl(List<string> failures, string key, Uri? value, bool required)
    {
        if (value is null)
        {
            if (required)
            {
                failures.Add($"{key} is required: set an absolute https URL such as https://your-site.atlassian.net.");
            }

            return;
        }

        if (!value.IsAbsoluteUri || (value.Scheme != Uri.UriSchemeHttps && value.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"{key} must be an absolute http or https URL (was '{value.OriginalString}').");
        }
        else if (!string.IsNullOrEmpty(value.Query) || !string.IsNullOrEmpty(value.UserInfo))
        {
            failures.Add($"{key} must not contain a query or user info (was '{value.GetLeftPart(UriPartial.Path)}...').");
        }
    }
}
