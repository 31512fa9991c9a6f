namespace HyOpps.Integrations.Teams.Internal;

/// <summary>Checks the Teams settings at start-up; every message names the configuration key.</summary>
internal sealed class TeamsOptionsValidator : IntegrationOptionsValidator<TeamsOptions>
{
    protected override void Validate(TeamsOptions options, List<string> errors)
    {
        if (options.IsConfigured)
        {
            var missing = new List<string>();
            if (string.IsNullOrWhiteSpace(options.TenantId))
            {
                missing.Add($"{options.Key("TenantId")}");
            }

            if (string.IsNullOrWhiteSpace(options.ClientId))
            {
                missing.Add($"{options.Key("ClientId")}");
            }

            if (string.IsNullOrWhiteSpace(options.ClientSecret))
            {
                missing.Add($"{options.Key("ClientSecret")}");
            }

            if (missing.Count > 0)
            {
                errors.Add($"Microsoft Teams is partly configured: set {string.Join(" and ", missing)} too (or remove all three to turn the integration off).");
            }

            if (!string.IsNullOrWhiteSpace(options.TenantId) && !options.TenantId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.'))
            {
                errors.Add($"{options.Key("TenantId")} must be a directory id (a GUID) or a domain name such as contoso.onmicrosoft.com (was '{options.TenantId}').");
            }
        }

        if (!Uri.TryCreate(options.GraphBaseUrl, UriKind.Absolute, out var graph)
            || !(graph.Scheme == Uri.UriSchemeHttps || (graph.Scheme == Uri.UriSchemeHttp && graph.IsLoopback)))
        {
            errors.Add($"{options.Key("GraphBaseUrl")} must be an absolute https URL such as https://graph.microsoft.com/v1.0 (http only for a loopback host) (was '{options.GraphBaseUrl}').");
        }

        if (!Uri.TryCreate(options.AuthorityHost, UriKind.Absolute, out var authority) || authority.Scheme != Uri.UriSchemeHttps)
        {
            errors.Add($"{options.Key("AuthorityHost")} must be an absolute https URL such as https://login.microsoftonline.com/ (was '{options.AuthorityHost}').");
        }

        if (!Uri.TryCreate(options.InviteRedirectUrl, UriKind.Absolute, out var redirect)
            || (redirect.Scheme != Uri.UriSchemeHttps && redirect.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add($"{options.Key("InviteRedirectUrl")} must be an absolute http or https URL such as https://teams.microsoft.com (was '{options.InviteRedirectUrl}').");
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromMinutes(10))
        {
            errors.Add($"{options.Key("Timeout")} must be more than zero and at most 10 minutes (was '{options.Timeout}').");
        }

        IntegrationMessages.CheckRange(errors, options.Key("MaxRetryAttempts"), options.MaxRetryAttempts, 0, 10);

        IntegrationMessages.CheckRange(errors, options.Key("MaxRetryAfter"), options.MaxRetryAfter, TimeSpan.Zero, TimeSpan.FromMinutes(10));

        IntegrationMessages.CheckRange(errors, options.Key("MembershipVisibilityTimeout"), options.MembershipVisibilityTimeout, TimeSpan.Zero, TimeSpan.FromDays(2));

        IntegrationMessages.CheckRange(errors, options.Key("MembershipVisibilityRetryDelay"), options.MembershipVisibilityRetryDelay, TimeSpan.Zero, TimeSpan.FromHours(1));
    }
}
