using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;

namespace HyOpps.SampleHost.Pages;

/// <summary>Tiny helpers for the server-rendered pages: every value is HTML-encoded, every form carries an antiforgery token.</summary>
internal static class Html
{
    /// <summary>The pages' stylesheet, served from a file-like endpoint because the CSP allows no inline style.</summary>
    public const string StylesheetPath = "/site.css";

    private const string Stylesheet = """
        body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}
        .badge{background:#eef;border-radius:.6rem;padding:.1rem .5rem;font-size:.85em}.error{color:#a00}nav{margin-bottom:1rem}form.inline{display:inline}
        """;

    public static void MapStylesheet(WebApplication app)
        => app.MapGet(StylesheetPath, () => Results.Text(Stylesheet, "text/css; charset=utf-8")).AllowAnonymous().ExcludeFromDescription();

    public static string E(string? value) => HtmlEncoder.Default.Encode(value ?? string.Empty);

    public static string Antiforgery(HttpContext http)
    {
        var tokens = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        return $"<input type=\"hidden\" name=\"{E(tokens.FormFieldName)}\" value=\"{E(tokens.RequestToken)}\">";
    }

    public static IResult Page(string title, string body, int status = StatusCodes.Status200OK, HttpContext? http = null)
    {
        var nav = new StringBuilder();
        if (http is not null && Security.Actor.From(http.User) is { } actor)
        {
            nav.Append("<nav data-testid=\"nav\"><a href=\"/\" data-testid=\"nav-home\">Home</a> · <a href=\"/orgs\" data-testid=\"nav-orgs\">Orgs</a> · <a href=\"/users\" data-testid=\"nav-users\">Users</a>");
            if (http.RequestServices.GetService<DashboardMarker>() is not null)
            {
                nav.Append(" · <a href=\"/hyopps\" data-testid=\"nav-executions\">Executions</a>");
            }

            nav.Append($" · <span data-testid=\"signed-in-as\" data-role=\"{E(actor.Role)}\">{E(actor.UserName)} ({E(actor.Role)})</span>");
            nav.Append($"<form method=\"post\" action=\"/account/logout\" class=\"inline\">{Antiforgery(http)}<button data-testid=\"sign-out\">Sign out</button></form></nav>");
        }

        var html = $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{{E(title)}} · HyOpps sample</title>
            <link rel="stylesheet" href="{{StylesheetPath}}"></head>
            <body>{{nav}}<h1 data-testid="page-title">{{E(title)}}</h1>{{body}}</body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }
}

/// <summary>Registered when the operator dashboard is mounted, so the pages link to it.</summary>
internal sealed class DashboardMarker;
