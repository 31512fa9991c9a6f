using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using static HyOpps.SampleHost.Pages.Html;

namespace HyOpps.SampleHost.Pages;

/// <summary>Cookie sign-in for people: GET and POST /account/login (antiforgery-protected form), POST /account/logout.</summary>
internal static class AccountPages
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/account/login", (HttpContext http, [FromQuery(Name = "ReturnUrl")] string? returnUrl) => LoginPage(http, returnUrl, null))
            .AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/account/login", LoginAsync).AllowAnonymous().RequireRateLimiting(SignInThrottle.PolicyName).ExcludeFromDescription();
        app.MapPost("/account/logout", async (HttpContext http, [FromForm] LogoutForm _, AccountStore accounts) =>
        {
            // A new stamp ends this session and every other one of the account, including copies of this cookie.
            if (Actor.From(http.User) is { } actor)
            {
                await accounts.RenewSecurityStampAsync(actor.AccountId, http.RequestAborted);
            }

            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect("/account/login");
        }).ExcludeFromDescription();
        app.MapGet("/account/denied", (HttpContext http) => Page("Access denied", "<p>Your account may not open this page.</p>", StatusCodes.Status403Forbidden, http))
            .ExcludeFromDescription();
    }

    /// <summary>Returns the return URL when it is a path on this host that is safe in a Location header; otherwise "/".</summary>
    internal static string LocalReturnUrl(string? returnUrl)
    {
        // Like Url.IsLocalUrl, and stricter: printable ASCII only, so "/\t/evil.example/", CR, LF or "é" never reach the header.
        if (string.IsNullOrEmpty(returnUrl) || returnUrl.Length > 2000 || returnUrl[0] != '/' || returnUrl.Any(c => c is < '!' or > '~'))
        {
            return "/";
        }

        return returnUrl.Length > 1 && returnUrl[1] is '/' or '\\' ? "/" : returnUrl;
    }

    private static async Task<IResult> LoginAsync(
        HttpContext http, [FromForm] LoginForm form, AccountStore accounts, SignInLimits limits, SignInThrottle throttle, TimeProvider time, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("HyOpps.SampleHost.SignIn");
        if (string.IsNullOrWhiteSpace(form.UserName) || string.IsNullOrEmpty(form.Password) || form.UserName.Length > 100 || form.Password.Length > 200)
        {
            return LoginPage(http, form.ReturnUrl, "Wrong user name or password.", StatusCodes.Status401Unauthorized);
        }

        using var lease = throttle.AttemptFor(form.UserName);
        if (!lease.IsAcquired)
        {
            logger.LogWarning("Sign-in attempts for one user name from {RemoteIp} exceed the limit.", http.Connection.RemoteIpAddress);
            SignInThrottle.SetRetryAfter(http.Response, lease.TryGetMetadata(System.Threading.RateLimiting.MetadataName.RetryAfter, out var wait) ? wait : limits.Window);
            return LoginPage(http, form.ReturnUrl, "Too many sign-in attempts for this user name: wait a minute and try again.", StatusCodes.Status429TooManyRequests);
        }

        var check = await accounts.CheckSignInAsync(form.UserName, form.Password, limits.MaxFailedSignIns, limits.LockoutDuration, http.RequestAborted);
        if (check.LockedOutUntil is { } until)
        {
            logger.LogWarning("Sign-in refused: the account is locked out (request from {RemoteIp}).", http.Connection.RemoteIpAddress);
            SignInThrottle.SetRetryAfter(http.Response, until - time.GetUtcNow());
            return LoginPage(http, form.ReturnUrl, "Too many failed sign-ins: this account is locked for a while. Try again later.", StatusCodes.Status429TooManyRequests);
        }

        if (check.Account is not { } account)
        {
            logger.LogWarning("Failed sign-in from {RemoteIp}.", http.Connection.RemoteIpAddress);
            return LoginPage(http, form.ReturnUrl, "Wrong user name or password.", StatusCodes.Status401Unauthorized);
        }

        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, Actor.ToPrincipal(account, CookieAuthenticationDefaults.AuthenticationScheme));
        return Results.Redirect(LocalReturnUrl(form.ReturnUrl));
    }

    private static IResult LoginPage(HttpContext http, string? returnUrl, string? error, int status = StatusCodes.Status200OK)
    {
        var body = $"""
            {(error is null ? string.Empty : $"<p class=\"error\" role=\"alert\" data-testid=\"login-error\">{E(error)}</p>")}
            <form method="post" action="/account/login" data-testid="login-form">
              {Antiforgery(http)}
              <input type="hidden" name="ReturnUrl" value="{E(LocalReturnUrl(returnUrl))}">
              <p><label>User name <input name="UserName" autocomplete="username" required maxlength="100" data-testid="username"></label></p>
              <p><label>Password <input name="Password" type="password" autocomplete="current-password" required maxlength="200" data-testid="password"></label></p>
              <p><button data-testid="sign-in">Sign in</button></p>
            </form>
            """;
        return Page("Sign in", body, status);
    }

    /// <summary>The sign-in form.</summary>
    internal sealed class LoginForm
    {
        public string? UserName { get; set; }

        public string? Password { get; set; }

        public string? ReturnUrl { get; set; }
    }

    /// <summary>The sign-out form (only its antiforgery token).</summary>
    internal sealed class LogoutForm
    {
        public string? Unused { get; set; }
    }
}
