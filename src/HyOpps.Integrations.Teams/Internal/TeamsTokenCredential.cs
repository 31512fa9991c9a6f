using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;

namespace HyOpps.Integrations.Teams.Internal;

/// <summary>
/// The app's one <see cref="ClientSecretCredential"/>, created on first use so that its token cache is shared
/// by every step attempt, and so that an unconfigured integration fails only when a step runs.
/// </summary>
internal sealed class TeamsTokenCredential(IOptions<TeamsOptions> options, IHttpClientFactory httpClientFactory) : TokenCredential
{
    private static readonly string[] KnownAuthorityHosts =
    [
        AzureAuthorityHosts.AzurePublicCloud.Host,
        AzureAuthorityHosts.AzureGovernment.Host,
        AzureAuthorityHosts.AzureChina.Host,
    ];

    private readonly Lock _lock = new();
    private ClientSecretCredential? _credential;

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        => GetCredential().GetToken(requestContext, cancellationToken);

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        => GetCredential().GetTokenAsync(requestContext, cancellationToken);

    private ClientSecretCredential GetCredential()
    {
        lock (_lock)
        {
            return _credential ??= Create(options.Value);
        }
    }

    private ClientSecretCredential Create(TeamsOptions o)
    {
        if (!o.IsConfigured)
        {
            throw StepException.NotConfigured(o.NotConfiguredMessage);
        }

        var authority = new Uri(o.AuthorityHost);
        var credentialOptions = new ClientSecretCredentialOptions
        {
            AuthorityHost = authority,

            // Instance discovery asks the public cloud about the authority, which fails for private authorities and simulators.
            DisableInstanceDiscovery = !KnownAuthorityHosts.Contains(authority.Host, StringComparer.OrdinalIgnoreCase),
            Transport = new HttpClientTransport(httpClientFactory.CreateClient(TeamsServiceNames.IdentityHttpClient)),
        };
        credentialOptions.Retry.NetworkTimeout = o.Timeout;
        credentialOptions.Retry.MaxRetries = o.MaxRetryAttempts;
        return new ClientSecretCredential(o.TenantId, o.ClientId, o.ClientSecret, credentialOptions);
    }
}
