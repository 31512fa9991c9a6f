using System.Security.Claims;
using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Domain;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace HyOpps.SampleHost.Security;

/// <summary>Cookie sign-in for people, API keys for scripts, and the admin policy.</summary>
public static class SecurityServiceCollectionExtensions
{
    /// <summary>The policy scheme that picks the API key handler when the header is present and the cookie otherwise.</summary>
    public const string DefaultScheme = "HyOpps";

    /// <summary>The policy that only admins pass.</summary>
    public const string AdminPolicy = "admin";

    public static IServiceCollection AddSampleSecurity(this IServiceCollection services)
    {
        services.AddAuthentication(DefaultScheme)
            .AddPolicyScheme(DefaultScheme, "Cookie or API key", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName)
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, o =>
            {
                o.Cookie.Name = "hyopps.auth";
                o.Cookie.HttpOnly = true;

                // Strict keeps the cookie off every cross-site request, so the JSON API cannot be driven from another site.
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = "/account/login";
                o.LogoutPath = "/account/logout";
                o.AccessDeniedPath = "/account/denied";
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                o.Events.OnRedirectToLogin = context => Answer(context, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => Answer(context, StatusCodes.Status403Forbidden);
                o.Events.OnValidatePrincipal = ValidatePrincipalAsync;
            });
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(AdminPolicy, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin));
        return services;
    }

    private static Task Answer(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (IsApi(context.Request))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    internal static bool IsApi(HttpRequest request)
        => request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
        || request.Path.StartsWithSegments("/openapi", StringComparison.OrdinalIgnoreCase)
        || request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase)
        || request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase);

    // The cookie carries the role, org and security stamp as they were at sign-in; a deleted or changed account, a sign-out or a
    // password change since then ends the session here, on the server, whatever the cookie's own expiry says.
    private static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        var id = context.Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        var accounts = context.HttpContext.RequestServices.GetRequiredService<AccountStore>();
        var account = id is null ? null : await accounts.GetAsync(id, context.HttpContext.RequestAborted);
        var actor = Actor.From(context.Principal);
        var stamp = context.Principal?.FindFirstValue(Actor.SecurityStampClaim);
        if (account is null || actor is null || account.Role != actor.Role || account.OrgId != actor.OrgId
            || string.IsNullOrEmpty(stamp) || !string.Equals(stamp, account.SecurityStamp, StringComparison.Ordinal))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }
}
