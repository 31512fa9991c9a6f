using System.Text.Json;
using Azure.Core;
using Azure.Identity;

namespace HyOpps.Integrations.Teams.Internal;

/// <summary>
/// A delegated credential that redeems a user's refresh token at the Entra ID token endpoint (<c>grant_type=refresh_token</c>)
/// for the integration's confidential app, caches the access token until shortly before it expires, and keeps the newer
/// refresh token Entra returns (in memory only).
/// </summary>
internal sealed class TeamsRefreshTokenCredential(
    TeamsOptions teams, TeamsNotificationOptions settings, IHttpClientFactory httpClientFactory, TimeProvider time) : TokenCredential
{
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string _refreshToken = settings.RefreshToken ?? throw new ArgumentException("A refresh token is required.", nameof(settings));
    private AccessToken? _cached;

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        => GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_cached is { } cached && cached.ExpiresOn - RefreshMargin > time.GetUtcNow())
            {
                return cached;
            }

            var token = await RedeemAsync(requestContext.Scopes, cancellationToken).ConfigureAwait(false);
            _cached = token;
            return token;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<AccessToken> RedeemAsync(string[] scopes, CancellationToken cancellationToken)
    {
        var endpoint = new Uri(new Uri(teams.AuthorityHost), $"{Uri.EscapeDataString(teams.TenantId ?? "organizations")}/oauth2/v2.0/token");
        var form = new Dictionary<string, string>
        {
            ["client_id"] = teams.ClientId ?? string.Empty,
            ["client_secret"] = teams.ClientSecret ?? string.Empty,
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = _refreshToken,
            ["scope"] = string.Join(' ', scopes.Append("offline_access")),
        };
        var http = httpClientFactory.CreateClient(TeamsServiceNames.IdentityHttpClient);
        using var response = await http.PostAsync(endpoint, new FormUrlEncodedContent(form), cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        using var document = TryParse(body);
        var root = document?.RootElement;
        if (!response.IsSuccessStatusCode || root is not { ValueKind: JsonValueKind.Object } json
            || !json.TryGetProperty("access_token", out var access) || access.GetString() is not { Length: > 0 } accessToken)
        {
            var error = root is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty("error", out var code) ? code.GetString() : null;
            var description = root is { ValueKind: JsonValueKind.Object } d && d.TryGetProperty("error_description", out var text) ? FirstSentence(text.GetString()) : null;
            var advice = error is "invalid_grant" or "interaction_required"
                ? $"the refresh token has expired or was revoked: sign in again as the posting user and set {settings.Key(nameof(TeamsNotificationOptions.RefreshToken))}"
                : $"check {teams.Key(nameof(TeamsOptions.ClientId))}, {teams.Key(nameof(TeamsOptions.ClientSecret))} and {teams.Key(nameof(TeamsOptions.TenantId))}";
            throw new AuthenticationFailedException(
                $"Entra ID refused to redeem the Teams notification refresh token (HTTP {(int)response.StatusCode} {error ?? "no error code"}: {description ?? "no description"}): {advice}.");
        }

        if (json.TryGetProperty("refresh_token", out var next) && next.GetString() is { Length: > 0 } rotated)
        {
            _refreshToken = rotated;
        }

        var lifetime = json.TryGetProperty("expires_in", out var expires) && expires.ValueKind == JsonValueKind.Number && expires.TryGetInt32(out var seconds) ? seconds : 3599;
        return new AccessToken(accessToken, time.GetUtcNow().AddSeconds(lifetime));
    }

    private static JsonDocument? TryParse(string body)
    {
        try
        {
            return string.IsNullOrWhiteSpace(body) ? null : JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Entra's descriptions end with trace and correlation ids; the first sentence is what a person needs.
    private static string? FirstSentence(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var end = text.IndexOf(" Trace ID:", StringComparison.Ordinal);
        var line = end > 0 ? text[..end] : text;
        return line.Length > 300 ? line[..300] + "…" : line;
    }
}
