using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace HyOpps.Testing.Graph;

/// <content>The Entra ID side: the https certificate, the token endpoint and its metadata, and bearer token checks.</content>
public sealed partial class GraphSimulator
{
    private readonly Dictionary<string, DateTimeOffset> _tokens = new(StringComparer.Ordinal);
    private readonly List<string> _issuedTokens = [];
    private string? _certificateThumbprint;
    private int _tokenRequests;

    /// <summary>Gets the SHA-256 thumbprint (hex) of the self-signed certificate of the https token endpoint; set once started.</summary>
    /// <exception cref="InvalidOperationException">The simulator is not started.</exception>
    public string CertificateThumbprint => _certificateThumbprint ?? throw new InvalidOperationException("Start the simulator first (StartAsync).");

    /// <summary>Gets every access token issued so far, for tests that check tokens never leak into logs or outputs.</summary>
    public IReadOnlyList<string> IssuedAccessTokens
    {
        get
        {
            lock (SyncRoot)
            {
                return [.. _issuedTokens];
            }
        }
    }

    /// <summary>Gets how many token requests arrived, successful or not.</summary>
    public int TokenRequestCount => Volatile.Read(ref _tokenRequests);

    /// <summary>Creates a handler that trusts this simulator's self-signed certificate (and, as usual, certificates valid for the system).</summary>
    /// <returns>A new handler; for tests and sandboxes only.</returns>
    /// <exception cref="InvalidOperationException">The simulator is not started.</exception>
    public HttpMessageHandler CreateHttpMessageHandler()
    {
        var thumbprint = CertificateThumbprint;
        return new SocketsHttpHandler
        {
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    errors == SslPolicyErrors.None
                    || (certificate is not null
                        && string.Equals(certificate.GetCertHashString(HashAlgorithmName.SHA256), thumbprint, StringComparison.OrdinalIgnoreCase)),
            },
        };
    }

    /// <summary>Makes every issued token invalid, so that Graph answers 401 until a new token is requested.</summary>
    public void RevokeTokens()
    {
        lock (SyncRoot)
        {
            _tokens.Clear();
        }
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=HyOpps Graph simulator", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = TimeProvider.System.GetUtcNow();
        using var created = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        // Round-trip through PKCS#12 so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), password: null);
    }

    private void MapIdentity(WebApplication app)
    {
        app.MapPost("/{tenant}/oauth2/v2.0/token", IssueTokenAsync);
        app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", context =>
        {
            var tenant = (string)context.Request.RouteValues["tenant"]!;
            var authority = AuthorityHost.ToString();
            var body = new JsonObject
            {
                ["token_endpoint"] = $"{authority}{tenant}/oauth2/v2.0/token",
                ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_post", "private_key_jwt", "client_secret_basic"),
                ["jwks_uri"] = $"{authority}{tenant}/discovery/v2.0/keys",
                ["response_types_supported"] = new JsonArray("code", "id_token", "code id_token", "id_token token"),
                ["issuer"] = $"{authority}{TenantId}/v2.0",
                ["authorization_endpoint"] = $"{authority}{tenant}/oauth2/v2.0/authorize",
                ["tenant_region_scope"] = "EU",
                ["cloud_instance_name"] = "microsoftonline.com",
            };
            return WriteJsonAsync(context, 200, body);
        });
        app.MapGet("/{tenant}/discovery/instance", context =>
        {
            var authority = AuthorityHost;
            var host = authority.Authority;
            var body = new JsonObject
            {
                ["tenant_discovery_endpoint"] = $"{authority}{context.Request.RouteValues["tenant"]}/v2.0/.well-known/openid-configuration",
                ["api-version"] = "1.1",
                ["metadata"] = new JsonArray(new JsonObject
                {
                    ["preferred_network"] = host,
                    ["preferred_cache"] = host,
                    ["aliases"] = new JsonArray(host),
                }),
            };
            return WriteJsonAsync(context, 200, body);
        });
    }

    private async Task IssueTokenAsync(HttpContext context)
    {
        Interlocked.Increment(ref _tokenRequests);
        var tenant = (string)context.Request.RouteValues["tenant"]!;
        if (!context.Request.HasFormContentType)
        {
            await WriteEntraErrorAsync(context, 400, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.").ConfigureAwait(false);
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        string grantType = form["grant_type"].ToString(), clientId = form["client_id"].ToString(),
            clientSecret = form["client_secret"].ToString(), scope = form["scope"].ToString();

        if (!string.Equals(tenant, TenantId, StringComparison.OrdinalIgnoreCase) && !string.Equals(tenant, TenantDomain, StringComparison.OrdinalIgnoreCase))
        {
            await WriteEntraErrorAsync(context, 400, "invalid_request", 90002,
                $"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.").ConfigureAwait(false);
        }
        else if (grantType == "refresh_token")
        {
            await IssueDelegatedTokenAsync(context, form).ConfigureAwait(false);
        }
        else if (grantType != "client_credentials")
        {
            await WriteEntraErrorAsync(context, 400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.").ConfigureAwait(false);
        }
        else if (!string.Equals(clientId, ClientId, StringComparison.OrdinalIgnoreCase))
        {
            await WriteEntraErrorAsync(context, 400, "unauthorized_client", 700016,
                $"Application with identifier '{clientId}' was not found in the directory '{TenantDomain}'.").ConfigureAwait(false);
        }
        else if (string.IsNullOrEmpty(clientSecret))
        {
            await WriteEntraErrorAsync(context, 401, "invalid_client", 7000218,
                "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.").ConfigureAwait(false);
        }
        else if (!CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(clientSecret), System.Text.Encoding.UTF8.GetBytes(ClientSecret)))
        {
            await WriteEntraErrorAsync(context, 401, "invalid_client", 7000215,
                $"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{ClientId}'.").ConfigureAwait(false);
        }
        else if (!scope.EndsWith("/.default", StringComparison.Ordinal) || scope.Contains(' ', StringComparison.Ordinal))
        {
            await WriteEntraErrorAsync(context, 400, "invalid_scope", 1002012,
                $"The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).").ConfigureAwait(false);
        }
        else
        {
            var token = "sim." + Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
            var lifetime = (int)TokenLifetime.TotalSeconds;
            lock (SyncRoot)
            {
                _tokens[token] = _time.GetUtcNow() + TokenLifetime;
                _issuedTokens.Add(token);
            }

            await WriteJsonAsync(context, 200, new JsonObject
            {
                ["token_type"] = "Bearer",
                ["expires_in"] = lifetime,
                ["ext_expires_in"] = lifetime,
                ["access_token"] = token,
            }).ConfigureAwait(false);
        }
    }

    private async Task AuthenticateGraphAsync(HttpContext context, RequestDelegate next)
    {
        if (!context.Request.Path.StartsWithSegments("/v1.0", StringComparison.OrdinalIgnoreCase)
            && !context.Request.Path.StartsWithSegments("/beta", StringComparison.OrdinalIgnoreCase))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        string? problem = null;
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
        {
            problem = "Access token is empty.";
        }
        else
        {
            var token = header[7..].Trim();
            lock (SyncRoot)
            {
                if (!_tokens.TryGetValue(token, out var expires))
                {
                    problem = "IDX14100: JWT is not well formed, there are no dots (.).";
                }
                else if (expires <= _time.GetUtcNow())
                {
                    problem = "Lifetime validation failed, the token is expired.";
                }
            }
        }

        if (problem is null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        context.Response.Headers.WWWAuthenticate =
            $"Bearer realm=\"\", authorization_uri=\"{AuthorityHost}common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"";
        await WriteGraphErrorAsync(context, 401, "InvalidAuthenticationToken", problem).ConfigureAwait(false);
    }

    private Task WriteEntraErrorAsync(HttpContext context, int status, string error, int code, string description)
    {
        var timestamp = _time.GetUtcNow().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var traceId = Guid.NewGuid().ToString();
        var correlationId = Guid.NewGuid().ToString();
        return WriteJsonAsync(context, status, new JsonObject
        {
            ["error"] = error,
            ["error_description"] = $"AADSTS{code}: {description} Trace ID: {traceId} Correlation ID: {correlationId} Timestamp: {timestamp}",
            ["error_codes"] = new JsonArray(code),
            ["timestamp"] = timestamp,
            ["trace_id"] = traceId,
            ["correlation_id"] = correlationId,
            ["error_uri"] = $"{AuthorityHost}error?code={code}",
        });
    }
}
