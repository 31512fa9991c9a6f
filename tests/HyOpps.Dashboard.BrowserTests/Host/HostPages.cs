using System.Text;
using System.Text.Encodings.Web;
using HyOpps.Workflows;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace HyOpps.Dashboard.BrowserTests.Host;

/// <summary>The test host's own pages: sign-in, sign-out, and the partner users page whose form starts an onboarding.</summary>
/// <remarks>Plain server-rendered forms with antiforgery tokens; every value is HTML-encoded.</remarks>
internal static class HostPages
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/login", (HttpContext c, IAntiforgery antiforgery, string? returnUrl) => Html(Page("Sign in", LoginForm(c, antiforgery, returnUrl, null))));
        app.MapPost("/login", SignInAsync);
        app.MapPost("/logout", SignOutAsync);
        app.MapGet("/denied", () => Results.Content(Page("Not allowed", "<p>You may not open this page.</p>"), "text/html; charset=utf-8", statusCode: 403));
        app.MapGet("/", UsersPage).RequireAuthorization(OnboardingBrowserHost.DashboardPolicy);
        app.MapPost("/users", AddUserAsync).RequireAuthorization(OnboardingBrowserHost.DashboardPolicy);
    }

    private static async Task<IResult> SignInAsync(HttpContext c, IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(c))
        {
            return Results.BadRequest();
        }

        var form = await c.Request.ReadFormAsync(c.RequestAborted);
        var returnUrl = form["returnUrl"].ToString();
        var user = TestUser.All.FirstOrDefault(u => u.UserName == form["username"].ToString() && u.Password == form["password"].ToString());
        if (user is null)
        {
            return Html(Page("Sign in", LoginForm(c, antiforgery, returnUrl, "Unknown user name or wrong password.")), StatusCodes.Status401Unauthorized);
        }

        await c.SignInAsync(OnboardingBrowserHost.Principal(user));
        return Results.Redirect(IsLocal(returnUrl) ? returnUrl : "/");
    }

    private static async Task<IResult> SignOutAsync(HttpContext c, IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(c))
        {
            return Results.BadRequest();
        }

        await c.SignOutAsync();
        return Results.Redirect("/login");
    }

    private static IResult UsersPage(HttpContext c, IAntiforgery antiforgery, [FromServices] IReadOnlyList<TestOrg> orgs)
        => Html(Page("Partner users", Users(c, antiforgery, orgs, null)));

    private static async Task<IResult> AddUserAsync(HttpContext c, IAntiforgery antiforgery, [FromServices] IReadOnlyList<TestOrg> orgs, IWorkflowClient workflows)
    {
        if (!await antiforgery.IsRequestValidAsync(c))
        {
            return Results.BadRequest();
        }

        var form = await c.Request.ReadFormAsync(c.RequestAborted);
        var org = VisibleOrgs(c, orgs).FirstOrDefault(o => o.Id == form["org"].ToString());
        var email = form["email"].ToString().Trim();
        var first = form["first_name"].ToString().Trim();
        var last = form["last_name"].ToString().Trim();
        if (org is null || email.Length == 0 || first.Length == 0 || last.Length == 0)
        {
            var problem = org is null ? "Choose one of your orgs." : "Email, first name and last name are required.";
            return Html(Page("Partner users", Users(c, antiforgery, orgs, problem)), StatusCodes.Status400BadRequest);
        }

        var actor = c.User.Identity?.Name ?? "anonymous";
        await workflows.StartAsync(
            OnboardingBrowserHost.Workflow,
            OnboardingBrowserHost.Input(org, email, first, last),
            OnboardingBrowserHost.Options(org, email, actor),
            c.RequestAborted);
        return Results.Redirect(OnboardingBrowserHost.DashboardPrefix, permanent: false, preserveMethod: false);
    }

    private static IEnumerable<TestOrg> VisibleOrgs(HttpContext c, IReadOnlyList<TestOrg> orgs)
        => c.User.IsInRole(TestUser.AdminRole) ? orgs : orgs.Where(o => c.User.HasClaim(TestUser.OrgClaim, o.Id));

    private static string LoginForm(HttpContext c, IAntiforgery antiforgery, string? returnUrl, string? error)
    {
        var e = HtmlEncoder.Default;
        var html = new StringBuilder();
        if (error is not null)
        {
            html.Append($"<p class=\"hd-error\" role=\"alert\" data-testid=\"login-error\">{e.Encode(error)}</p>");
        }

        html.Append("<form method=\"post\" action=\"/login\" class=\"hd-filters\">");
        html.Append(Token(c, antiforgery));
        html.Append($"<input type=\"hidden\" name=\"returnUrl\" value=\"{e.Encode(returnUrl ?? string.Empty)}\">");
        html.Append("<label>User name <input name=\"username\" autocomplete=\"username\" required data-testid=\"username\"></label>");
        html.Append("<label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\" required data-testid=\"password\"></label>");
        html.Append("<button type=\"submit\" data-testid=\"sign-in\">Sign in</button></form>");
        return html.ToString();
    }

    private static string Users(HttpContext c, IAntiforgery antiforgery, IReadOnlyList<TestOrg> orgs, string? error)
    {
        var e = HtmlEncoder.Default;
        var html = new StringBuilder();
        html.Append($"<p>Signed in as <strong data-testid=\"signed-in-as\">{e.Encode(c.User.Identity?.Name ?? string.Empty)}</strong>. ");
        html.Append($"<a href=\"{OnboardingBrowserHost.DashboardPrefix}\" data-testid=\"executions-link\">Executions</a></p>");
        html.Append($"<form method=\"post\" action=\"/logout\">{Token(c, antiforgery)}<button type=\"submit\" data-testid=\"sign-out\">Sign out</button></form>");
        html.Append("<h2>Add a partner user</h2>");
        if (error is not null)
        {
            html.Append($"<p class=\"hd-error\" role=\"alert\" data-testid=\"add-user-error\">{e.Encode(error)}</p>");
        }

        html.Append("<form method=\"post\" action=\"/users\" class=\"hd-filters\" data-testid=\"add-user-form\">");
        html.Append(Token(c, antiforgery));
        html.Append("<label>Org <select name=\"org\" data-testid=\"org\">");
        foreach (var org in VisibleOrgs(c, orgs))
        {
            html.Append($"<option value=\"{e.Encode(org.Id)}\">{e.Encode(org.Name)}</option>");
        }

        html.Append("</select></label>");
        html.Append("<label>Email <input name=\"email\" type=\"email\" required data-testid=\"email\"></label>");
        html.Append("<label>First name <input name=\"first_name\" required data-testid=\"first-name\"></label>");
        html.Append("<label>Last name <input name=\"last_name\" required data-testid=\"last-name\"></label>");
        html.Append("<button type=\"submit\" class=\"hd-primary\" data-testid=\"add-user\">Add user and start onboarding</button></form>");
        return html.ToString();
    }

    private static string Token(HttpContext c, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(c);
        return $"<input type=\"hidden\" name=\"{HtmlEncoder.Default.Encode(tokens.FormFieldName)}\" value=\"{HtmlEncoder.Default.Encode(tokens.RequestToken ?? string.Empty)}\">";
    }

    // The dashboard's stylesheet is reused so the host's pages look like the dashboard they link to.
    private static string Page(string title, string body)
        => $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{HtmlEncoder.Default.Encode(title)} · HyOpps test host</title>
            <link rel="stylesheet" href="{OnboardingBrowserHost.DashboardPrefix}/dashboard.css"></head>
            <body class="hd"><header class="hd-header"><a class="hd-brand" href="/">HyOpps test host</a></header>
            <main class="hd-main"><h1>{HtmlEncoder.Default.Encode(title)}</h1>{body}</main></body></html>
            """;

    private static IResult Html(string html, int statusCode = StatusCodes.Status200OK) => Results.Content(html, "text/html; charset=utf-8", statusCode: statusCode);

    private static bool IsLocal(string? url)
        => !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));
}
