using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using HyOpps.Testing.Graph;

namespace HyOpps.Integrations.Teams.Tests;

public sealed class GraphSimulatorTests
{
    [Fact]
    public async Task Graph_WithoutBearerToken_Answers401InvalidAuthenticationToken()
    {
        await using var graph = new GraphSimulator();
        await graph.StartAsync(TestContext.Current.CancellationToken);
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(graph.GraphBaseUrl + "/users"), TestContext.Current.CancellationToken);
        using var forged = new HttpRequestMessage(HttpMethod.Get, new Uri(graph.GraphBaseUrl + "/users"));
        forged.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "forged");
        using var forgedResponse = await http.SendAsync(forged, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forgedResponse.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("InvalidAuthenticationToken", body.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.True(body.RootElement.GetProperty("error").GetProperty("innerError").TryGetProperty("request-id", out _));
    }

    [Fact]
    public async Task TokenEndpoint_ClientCredentials_IssuesBearerTokenGraphAccepts()
    {
        await using var graph = new GraphSimulator();
        await graph.StartAsync(TestContext.Current.CancellationToken);
        using var https = new HttpClient(graph.CreateHttpMessageHandler());

        using var tokenResponse = await RequestTokenAsync(https, graph, graph.ClientSecret);
        using var token = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(graph.GraphBaseUrl + "/users"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.RootElement.GetProperty("access_token").GetString());
        using var users = await https.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, tokenResponse.StatusCode);
        Assert.Equal("Bearer", token.RootElement.GetProperty("token_type").GetString());
        Assert.Equal(3599, token.RootElement.GetProperty("expires_in").GetInt32());
        Assert.Equal(HttpStatusCode.OK, users.StatusCode);
        Assert.Equal(Uri.UriSchemeHttps, graph.AuthorityHost.Scheme);
    }

    [Fact]
    public async Task TokenEndpoint_WrongSecret_AnswersEntraInvalidClient()
    {
        await using var graph = new GraphSimulator();
        await graph.StartAsync(TestContext.Current.CancellationToken);
        using var https = new HttpClient(graph.CreateHttpMessageHandler());

        using var response = await RequestTokenAsync(https, graph, "wrong");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", body.RootElement.GetProperty("error").GetString());
        Assert.StartsWith("AADSTS7000215:", body.RootElement.GetProperty("error_description").GetString(), StringComparison.Ordinal);
        Assert.Equal(7000215, body.RootElement.GetProperty("error_codes")[0].GetInt32());
        Assert.Empty(graph.IssuedAccessTokens);
    }

    [Fact]
    public async Task Https_DefaultHandler_DoesNotTrustTheSelfSignedCertificate()
    {
        await using var graph = new GraphSimulator();
        await graph.StartAsync(TestContext.Current.CancellationToken);
        using var http = new HttpClient();

        await Assert.ThrowsAsync<HttpRequestException>(() => RequestTokenAsync(http, graph, graph.ClientSecret));
    }

    [Fact]
    public async Task CreateConfiguration_Started_PointsAtTheSimulator()
    {
        await using var graph = new GraphSimulator();
        await graph.StartAsync(TestContext.Current.CancellationToken);

        var settings = graph.CreateConfiguration();

        Assert.Equal(graph.ClientSecret, settings["HyOpps:Teams:ClientSecret"]);
        Assert.Equal(graph.GraphBaseUrl.ToString(), settings["HyOpps:Teams:GraphBaseUrl"]);
        Assert.StartsWith("https://127.0.0.1:", settings["HyOpps:Teams:AuthorityHost"], StringComparison.Ordinal);
    }

    [Fact]
    public void Addresses_NotStarted_Throw()
    {
        var graph = new GraphSimulator();

        Assert.Throws<InvalidOperationException>(() => graph.GraphBaseUrl);
        Assert.Throws<InvalidOperationException>(() => graph.CreateHttpMessageHandler());
    }

    private static Task<HttpResponseMessage> RequestTokenAsync(HttpClient http, GraphSimulator graph, string secret)
        => http.PostAsync(
            new Uri(graph.AuthorityHost, $"{graph.TenantId}/oauth2/v2.0/token"),
            new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = graph.ClientId,
                ["client_secret"] = secret,
                ["scope"] = "https://graph.microsoft.com/.default",
            }),
            TestContext.Current.CancellationToken);
}
