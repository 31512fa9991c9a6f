using System.Text.Encodings.Web;
using HyOpps.SampleHost.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace HyOpps.SampleHost.Security;

/// <summary>Signs in scripts by the X-Api-Key header, matched against the stored SHA-256 hashes of issued keys.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AccountStore accounts) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    public const string HeaderName = "X-Api-Key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values))
        {
            return AuthenticateResult.NoResult();
        }

        var key = values.ToString();
        if (string.IsNullOrWhiteSpace(key) || key.Length > 200)
        {
            return AuthenticateResult.Fail("The API key is not valid.");
        }

        var account = await accounts.FindByApiKeyAsync(key.Trim(), Context.RequestAborted);
        return account is null
            ? AuthenticateResult.Fail("The API key is not valid.")
            : AuthenticateResult.Success(new AuthenticationTicket(Actor.ToPrincipal(account, SchemeName), SchemeName));
    }
}
