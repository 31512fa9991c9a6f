using Microsoft.Graph;
using Microsoft.Graph.Authentication;

namespace HyOpps.Integrations.Teams.Internal;

/// <summary>Builds the Graph client over the factory's HttpClient and the app's shared credential.</summary>
internal static class GraphClientFactoryMethods
{
    public static GraphServiceClient Create(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<TeamsOptions>>().Value;
        var httpClient = services.GetRequiredService<IHttpClientFactory>().CreateClient(TeamsServiceNames.GraphHttpClient);
        var baseUrl = new Uri(options.GraphBaseUrl);

        // The token provider sends no token to hosts outside its allow-list, which by default holds only Microsoft's Graph hosts.
        var authentication = new AzureIdentityAuthenticationProvider(
            services.GetRequiredService<TeamsTokenCredential>(),
            allowedHosts: [baseUrl.Host],
            observabilityOptions: null,
            isCaeEnabled: true,
            scopes: [$"{baseUrl.GetLeftPart(UriPartial.Authority)}/.default"]);
        return new GraphServiceClient(httpClient, authentication, options.GraphBaseUrl.TrimEnd('/'));
    }
}
