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
        app.MapPost("/account/login", LoginAsync).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/account/logout", async (HttpContext http, [FromForm] LogoutForm _) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect("/account/login");
        }).ExcludeFromDescription();
        app.MapGet("/account/denied", (HttpContext http) => Page("Access denied", "<p>Your account may not open this page.</p>", StatusCodes.Status403Forbidden, http))
            .ExcludeFromDescription();
    }

    private static async Task<IResult> LoginAsync(HttpContext http, [FromForm] LoginForm form, AccountStore accounts, ILoggerFactory loggers)
    {
        var account = string.IsNullOrWhiteSpace(form.UserName) || string.IsNullOrEmpty(form.Password) || form.UserName.Length > 100 || form.Password.Length > 200
            ? null
            : await accounts.VerifyPasswordAsync(form.UserName, form.Password, http.RequestAborted);
        if (account is null)
        {
            loggers.CreateLogger("HyOpps.SampleHost.SignIn").LogWarning("Failed sign-in from {RemoteIp}.", http.Connection.RemoteIpAddress);
            return LoginPage(http, form.ReturnUrl, "Wrong user name or password.", StatusCodes.Status401Unauthorized);
        }

        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, Actor.ToPrincipal(account, CookieAuthenticationDefaults.AuthenticationScheme));
        var target = !string.IsNullOrEmpty(form.ReturnUrl) && form.ReturnUrl.StartsWith('/') && !form.ReturnUrl.StartsWith("//", StringComparison.Ordinal)
            && !form.ReturnUrl.StartsWith("/\\", StringComparison.Ordinal)
            ? form.ReturnUrl
            : "/";
        return Results.Redirect(target);
    }

    private static IResult LoginPage(HttpContext http, string? returnUrl, string? error, int status = StatusCodes.Status200OK)
    {
        var body = $"""
            {(error is null ? string.Empty : $"<p class=\"error\" role=\"alert\" data-testid=\"login-error\">{E(error)}</p>")}
            <form method="post" action="/account/login" data-testid="login-form">
              {Antiforgery(http)}
              <input type="hidden" name="ReturnUrl" value="{E(returnUrl)}">
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
