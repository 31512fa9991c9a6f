using HyOpps.SampleHost.Api;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace HyOpps.SampleHost.Security;

/// <summary>
/// Refuses a state-changing /api call authenticated by the session cookie unless it carries the antiforgery token in the
/// <see cref="HeaderName"/> header (read from GET /api/account/antiforgery). API-key callers send no cookie and are not asked.
/// </summary>
internal static class ApiAntiforgery
{
    public const string HeaderName = "X-CSRF-TOKEN";

    public static IApplicationBuilder UseApiAntiforgery(this IApplicationBuilder app)
        => app.Use(async (http, next) =>
        {
            var request = http.Request;
            if (request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
                && !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method))
                && http.User.Identity is { IsAuthenticated: true, AuthenticationType: CookieAuthenticationDefaults.AuthenticationScheme })
            {
                var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
                if (!request.Headers.ContainsKey(HeaderName) || !await antiforgery.IsRequestValidAsync(http))
                {
                    await Results.Problem(
                        statusCode: StatusCodes.Status400BadRequest,
                        title: "Antiforgery token missing or invalid",
                        detail: $"A signed-in browser must send the {HeaderName} header with the token from GET /api/account/antiforgery; scripts use an API key instead.")
                        .ExecuteAsync(http);
                    return;
                }
            }

            await next(http);
        });
}
