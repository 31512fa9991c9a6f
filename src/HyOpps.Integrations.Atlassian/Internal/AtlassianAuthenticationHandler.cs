using System.Net.Http.Headers;
using System.Text;

namespace HyOpps.Integrations.Atlassian.Internal;

/// <summary>
/// Puts the credentials on each request as it is sent, so they live on no <see cref="HttpClient"/> and are read from the current
/// options: Basic (email and API token) for the site API, Bearer (the Organization Admin API key) for the admin API.
/// </summary>
internal sealed class AtlassianAuthenticationHandler(IOptionsMonitor<AtlassianOptions> options, bool admin) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var current = options.CurrentValue;
        if (admin)
        {
            if (!string.IsNullOrEmpty(current.OrgAdminApiKey))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", current.OrgAdminApiKey);
            }
        }
        else if (!string.IsNullOrEmpty(current.Email) && !string.IsNullOrEmpty(current.ApiToken))
        {
            var raw = Encoding.UTF8.GetBytes($"{current.Email}:{current.ApiToken}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(raw));
        }

        return base.SendAsync(request, cancellationToken);
    }
}
