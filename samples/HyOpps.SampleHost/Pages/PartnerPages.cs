using System.Text;
using HyOpps.SampleHost.Api;
using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Domain;
using HyOpps.SampleHost.Security;
using Microsoft.AspNetCore.Mvc;
using static HyOpps.SampleHost.Pages.Html;

namespace HyOpps.SampleHost.Pages;

/// <summary>Server-rendered pages for people: orgs with their documentation links, users with the metabase_user_id badge, add and remove.</summary>
internal static class PartnerPages
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/", Home).ExcludeFromDescription();
        app.MapGet("/orgs", OrgsAsync).ExcludeFromDescription();
        app.MapGet("/orgs/{id}", OrgAsync).ExcludeFromDescription();
        app.MapGet("/users", UsersAsync).ExcludeFromDescription();
        app.MapPost("/orgs/{id}/users", AddUserAsync).ExcludeFromDescription();
        app.MapPost("/users/{id}/remove", RemoveUserAsync).ExcludeFromDescription();
    }

    private static IResult Home(HttpContext http)
    {
        var actor = http.Actor();
        var body = $"""
            <p>Signed in as <strong>{E(actor.UserName)}</strong> ({E(actor.Role)}).</p>
            <ul>
              <li><a href="/orgs">Orgs</a>: integration ids, documentation links, users, add a user</li>
              <li><a href="/users">Users</a>: everyone you may see, with their Metabase user id</li>
              <li><a href="/hyopps">Executions</a>: every onboarding and offboarding, step by step</li>
              <li><a href="/openapi/v1.json">OpenAPI document</a> of the API under <code>/api</code></li>
            </ul>
            """;
        return Page("HyOpps sample host", body, http: http);
    }

    private static async Task<IResult> OrgsAsync(HttpContext http, OrgStore orgs, CancellationToken cancellationToken)
    {
        var actor = http.Actor();
        var list = await orgs.ListAsync(actor.IsAdmin ? null : actor.OrgId, cancellationToken);
        var rows = new StringBuilder();
        foreach (var org in list)
        {
            rows.Append(CultureInfoInvariant($"<tr><td><a href=\"/orgs/{E(org.Id)}\">{E(org.Name)}</a></td><td>{(org.Active ? "active" : "inactive")}</td><td>{org.DocumentationLinks.Count}</td></tr>"));
        }

        return Page("Orgs", $"<table><tr><th>Org</th><th>Status</th><th>Documentation links</th></tr>{rows}</table>", http: http);
    }

    private static async Task<IResult> OrgAsync(string id, HttpContext http, OrgStore orgs, PartnerUserStore users, CancellationToken cancellationToken)
    {
        var actor = http.Actor();
        OrgRecord org;
        try
        {
            org = await OrgEndpoints.GetVisibleAsync(actor, id, orgs, cancellationToken);
        }
        catch (ApiProblemException)
        {
            return Page("Not found", "<p>No org with this id.</p>", StatusCodes.Status404NotFound, http);
        }

        return Page(org.Name, await OrgBodyAsync(http, org, users, null, null, cancellationToken), http: http);
    }

    private static async Task<string> OrgBodyAsync(HttpContext http, OrgRecord org, PartnerUserStore users, IReadOnlyDictionary<string, string[]>? errors, AddUserForm? form, CancellationToken cancellationToken)
    {
        var ids = new StringBuilder();
        void Row(string name, object? value) => ids.Append($"<tr><th>{E(name)}</th><td><code>{E(value?.ToString() ?? "—")}</code></td></tr>");
        Row("Status", org.Active ? "active" : "inactive");
        Row("Metabase group id", org.MetabaseGroupId);
        Row("Teams team id", org.TeamsTeamId);
        Row("Teams channel id", org.TeamsChannelId);
        Row("Slack user group id", org.SlackUserGroupId);
        Row("Slack channel id", org.SlackChannelId);
        Row("Atlassian group id", org.AtlassianGroupId);
        var links = string.Concat(org.DocumentationLinks.Select(l => $"<li><a href=\"{E(l.Url)}\" rel=\"noopener noreferrer\">{E(l.Title)}</a></li>"));
        var list = await users.ListAsync(org.Id, null, cancellationToken);
        var problems = errors is null ? string.Empty
            : "<ul class=\"error\">" + string.Concat(errors.SelectMany(e => e.Value.Select(m => $"<li>{E(e.Key)}: {E(m)}</li>"))) + "</ul>";
        return $"""
            <table>{ids}</table>
            <h2>Documentation</h2><ul>{(links.Length == 0 ? "<li>No documentation links.</li>" : links)}</ul>
            <h2>Users</h2>{UserTable(http, list)}
            <h2>Add a user</h2>{problems}
            <form method="post" action="/orgs/{E(org.Id)}/users">
              {Antiforgery(http)}
              <p><label>Email <input name="Email" type="email" required maxlength="254" value="{E(form?.Email)}"></label></p>
              <p><label>First name <input name="FirstName" required maxlength="100" value="{E(form?.FirstName)}"></label></p>
              <p><label>Last name <input name="LastName" required maxlength="100" value="{E(form?.LastName)}"></label></p>
              <p><button>Add and start onboarding</button></p>
            </form>
            """;
    }

    private static async Task<IResult> UsersAsync(HttpContext http, PartnerUserStore users, CancellationToken cancellationToken)
    {
        var actor = http.Actor();
        var list = await users.ListAsync(actor.IsAdmin ? null : actor.OrgId, null, cancellationToken);
        return Page("Users", UserTable(http, list), http: http);
    }

    private static string UserTable(HttpContext http, IReadOnlyList<PartnerUserRecord> list)
    {
        if (list.Count == 0)
        {
            return "<p>No users yet.</p>";
        }

        var rows = new StringBuilder();
        foreach (var u in list)
        {
            var badge = u.MetabaseUserId is { } mb ? $"<span class=\"badge\" title=\"metabase_user_id\">Metabase #{mb}</span>" : "<span class=\"badge\">no Metabase account yet</span>";
            var execution = u.OffboardingExecutionId ?? u.OnboardingExecutionId;
            var executionLink = execution is null ? string.Empty : $"<a href=\"/hyopps/executions/{E(execution)}\">execution</a>";
            var remove = u.Status is PartnerUserStatus.Removed or PartnerUserStatus.Offboarding ? string.Empty
                : $"<form method=\"post\" action=\"/users/{E(u.Id)}/remove\" style=\"display:inline\">{Antiforgery(http)}<button>Remove</button></form>";
            rows.Append($"<tr data-user-id=\"{E(u.Id)}\"><td>{E(u.FirstName)} {E(u.LastName)}</td><td>{E(u.Email)}</td><td>{E(u.Status)}</td><td>{badge}</td><td>{executionLink}</td><td>{remove}</td></tr>");
        }

        return $"<table><tr><th>Name</th><th>Email</th><th>Status</th><th>Metabase</th><th></th><th></th></tr>{rows}</table>";
    }

    private static async Task<IResult> AddUserAsync(string id, [FromForm] AddUserForm form, HttpContext http, PartnerUserService service, OrgStore orgs, PartnerUserStore users, CancellationToken cancellationToken)
    {
        var actor = http.Actor();
        try
        {
            await service.AddAsync(actor, new AddUserRequest(id, form.Email, form.FirstName, form.LastName), cancellationToken);
            return Results.Redirect($"/orgs/{Uri.EscapeDataString(id)}");
        }
        catch (ApiProblemException ex)
        {
            var org = actor.CanSeeOrg(id) ? await orgs.GetAsync(id, cancellationToken) : null;
            if (org is null)
            {
                return Page("Not found", "<p>No org with this id.</p>", StatusCodes.Status404NotFound, http);
            }

            var errors = ex.Errors ?? new Dictionary<string, string[]> { ["user"] = [ex.Message] };
            return Page(org.Name, await OrgBodyAsync(http, org, users, errors, form, cancellationToken), ex.Status, http);
        }
    }

    private static async Task<IResult> RemoveUserAsync(string id, [FromForm] RemoveUserForm _, HttpContext http, PartnerUserService service, CancellationToken cancellationToken)
    {
        try
        {
            var result = await service.RemoveAsync(http.Actor(), id, cancellationToken);
            return Results.Redirect($"/orgs/{Uri.EscapeDataString(result.User.OrgId)}");
        }
        catch (ApiProblemException ex)
        {
            return Page(ex.Status == StatusCodes.Status404NotFound ? "Not found" : "Cannot remove", $"<p>{E(ex.Message)}</p>", ex.Status, http);
        }
    }

    private static string CultureInfoInvariant(FormattableString text) => FormattableString.Invariant(text);

    /// <summary>The add-user form.</summary>
    internal sealed class AddUserForm
    {
        public string? Email { get; set; }

        public string? FirstName { get; set; }

        public string? LastName { get; set; }
    }

    /// <summary>The remove form (only its antiforgery token).</summary>
    internal sealed class RemoveUserForm
    {
        public string? Unused { get; set; }
    }
}
