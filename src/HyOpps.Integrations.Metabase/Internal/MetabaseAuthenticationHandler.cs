using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace HyOpps.Integrations.Metabase.Internal;

/// <summary>Adds Metabase credentials to each attempt: the <c>x-api-key</c> header, or a cached session token renewed once on 401.</summary>
/// <remarks>It sits inside the resilience handler, so every retry is authenticated afresh.</remarks>
internal sealed class MetabaseAuthenticationHandler(IOptionsMonitor<MetabaseOptions> options, MetabaseSessionCache sessions) : DelegatingHandler
{
    internal const string ApiKeyHeader = "x-api-key";
    internal const string SessionHeader = "X-Metabase-Session";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        request.Headers.Remove(ApiKeyHeader);
        request.Headers.Remove(SessionHeader);
        if (settings.UsesApiKey)
        {
            request.Headers.TryAddWithoutValidation(ApiKeyHeader, settings.ApiKey);
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var (token, failure) = await sessions.GetAsync(ct => LoginAsync(settings, ct), cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            return failure;
        }

        request.Headers.TryAddWithoutValidation(SessionHeader, token);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        // The session expired or was logged out: log in again once and repeat the request.
        response.Dispose();
        (var renewed, failure) = await sessions.RenewAsync(token!, ct => LoginAsync(settings, ct), cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            return failure;
        }

        request.Headers.Remove(SessionHeader);
        request.Headers.TryAddWithoutValidation(SessionHeader, renewed);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<(string? Token, HttpResponseMessage? Failure)> LoginAsync(MetabaseOptions settings, CancellationToken cancellationToken)
    {
        var uri = new Uri(MetabaseClient.WithTrailingSlash(settings.BaseUrl!), "api/session");
        var body = JsonSerializer.Serialize(new LoginRequest(settings.Username ?? string.Empty, settings.Password ?? string.Empty), MetabaseClient.JsonOptions);
        var login = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        login.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var response = await base.SendAsync(login, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            // The caller answers with this response; MetabaseClient names the login in the error.
            return (null, response);
        }

        using (response)
        {
            login.Dispose();
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                using var document = JsonDocument.Parse(text);
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                    && id.GetString() is { Length: > 0 } token)
                {
                    return (token, null);
                }
            }
            catch (JsonException)
            {
            }

            // Never echo the body: it may hold a token.
            return (null, new HttpResponseMessage(HttpStatusCode.BadGateway)
            {
                RequestMessage = new HttpRequestMessage(HttpMethod.Post, uri),
                Content = new StringContent("POST /api/session answered 2xx without a session id.", Encoding.UTF8, "text/plain"),
            });
        }
    }

    private sealed record LoginRequest(string Username, string Password);
}
