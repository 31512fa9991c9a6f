using System.Globalization;
using System.Text;
using HyOpps.SampleHost.Api;
using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Domain;
using HyOpps.SampleHost.Security;
using HyOpps.SampleHost.Workflows;
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
    }

    private static IResult Home(HttpContext http)
    {
        var actor = http.Actor();
        var body = $"""
            <p>Signed in as <strong>{E(actor.UserName)}</strong> ({E(actor.Role)}).</p>
            <ul>
              <li><a href="/orgs">Orgs</a>: integration ids, documentation links, users, add, edit and remove users{(actor.IsAdmin ? "; <a href=\"/orgs/new\">create an org</a>, edit one" : string.Empty)}</li>
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
            rows.Append(CultureInfoInvariant($"<tr data-org-id=\"{E(org.Id)}\"><td><a href=\"/orgs/{E(org.Id)}\" data-testid=\"org-link\">{E(org.Name)}</a></td><td>{(org.Active ? "active" : "inactive")}</td><td>{org.DocumentationLinks.Count}</td></tr>"));
        }

        var create = actor.IsAdmin ? "<p><a href=\"/orgs/new\" data-testid=\"new-org\">Create an org</a></p>" : string.Empty;
        return Page("Orgs", $"{create}<table data-testid=\"orgs-table\"><tr><th>Org</th><th>Status</th><th>Documentation links</th></tr>{rows}</table>", http: http);
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

        // After an edit that changed group ids: only a count from the query, so a crafted link can say no more than a number.
        var notice = int.TryParse(http.Request.Query[OrgFormPages.FormerGroupRemovalsQuery], NumberStyles.None, CultureInfo.InvariantCulture, out var removals) && removals > 0
            ? $"<p role=\"status\" data-testid=\"former-groups-notice\">Saved. Started {removals.ToString(CultureInfo.InvariantCulture)} "
                + (removals == 1 ? "removal" : "removals") + $" of active users from the org's former groups: see <a href=\"/hyopps?workflow={FormerOrgGroups.Name}\">the executions</a>.</p>"
            : string.Empty;
        return Page(org.Name, notice + await OrgBodyAsync(http, org, users, null, null, cancellationToken), http: http);
    }

    private static async Task<string> OrgBodyAsync(HttpContext http, OrgRecord org, PartnerUserStore users, IReadOnlyDictionary<string, string[]>? errors, AddUserForm? form, CancellationToken cancellationToken)
    {
        var ids = new StringBuilder();
        void Row(string field, string name, object? value)
            => ids.Append($"<tr data-field=\"{E(field)}\"><th>{E(name)}</th><td><code data-testid=\"org-field-value\">{E(value?.ToString() ?? "—")}</code></td></tr>");
        Row("status", "Status", org.Active ? "active" : "inactive");
        Row("metabase_group_id", "Metabase group id", org.MetabaseGroupId);
        Row("teams_team_id", "Teams team id", org.TeamsTeamId);
        Row("teams_channel_id", "Teams channel id", org.TeamsChannelId);
        Row("slack_user_group_id", "Slack user group id", org.SlackUserGroupId);
        Row("slack_channel_id", "Slack channel id", org.SlackChannelId);
        Row("atlassian_group_id", "Atlassian group id", org.AtlassianGroupId);
        Row("allowed_email_domains", "Allowed email domains", org.AllowedEmailDomains.Count == 0 ? null : string.Join(", ", org.AllowedEmailDomains));
        Row("notification_email", "Notifications: email", org.Notifications.Email);
        Row("notification_slack_channel_id", "Notifications: Slack channel id", org.Notifications.SlackChannelId);
        Row("notification_teams_channel", "Notifications: Teams channel", org.Notifications.TeamsTeamId is null ? null : $"{org.Notifications.TeamsTeamId} / {org.Notifications.TeamsChannelId}");
        var links = string.Concat(org.DocumentationLinks.Select(l => $"<li><a href=\"{E(l.Url)}\" rel=\"noopener noreferrer\" data-testid=\"documentation-link\">{E(l.Title)}</a></li>"));
        var list = await users.ListAsync(org.Id, null, cancellationToken);
        var problems = errors is null ? string.Empty
            : "<ul class=\"error\" role=\"alert\" data-testid=\"form-errors\">" + string.Concat(errors.SelectMany(e => e.Value.Select(m => $"<li>{E(e.Key)}: {E(m)}</li>"))) + "</ul>";
        var edit = http.Actor().IsAdmin ? $"<p><a href=\"/orgs/{E(Uri.EscapeDataString(org.Id))}/edit\" data-testid=\"edit-org\">Edit the org, its integration ids and documentation links</a></p>" : string.Empty;
        return $"""
            {edit}
            <table data-testid="org-ids" data-org-id="{E(org.Id)}">{ids}</table>
            <h2>Documentation</h2><ul data-testid="documentation-links">{(links.Length == 0 ? "<li>No documentation links.</li>" : links)}</ul>
            <h2>Users</h2>{UserTable(list)}
            <h2>Add a user</h2>{problems}
            <form method="post" action="/orgs/{E(org.Id)}/users" data-testid="add-user-form">
              {Antiforgery(http)}
              <p><label>Email <input name="Email" type="email" required maxlength="254" value="{E(form?.Email)}" data-testid="email"></label></p>
              <p><label>First name <input name="FirstName" required maxlength="100" value="{E(form?.FirstName)}" data-testid="first-name"></label></p>
              <p><label>Last name <input name="LastName" required maxlength="100" value="{E(form?.LastName)}" data-testid="last-name"></label></p>
              <p><label>Start date (optional) <input name="StartAt" type="date" value="{E(form?.StartAt)}" data-testid="start-at"></label> <small>onboarding runs from that day (midnight UTC); empty starts it now</small></p>
              <p><button data-testid="add-user">Add and start onboarding</button></p>
            </form>
            """;
    }

    private static async Task<IResult> UsersAsync(HttpContext http, PartnerUserStore users, CancellationToken cancellationToken)
    {
        var actor = http.Actor();
        var list = await users.ListAsync(actor.IsAdmin ? null : actor.OrgId, null, cancellationToken);
        return Page("Users", UserTable(list), http: http);
    }

    private static string UserTable(IReadOnlyList<PartnerUserRecord> list)
    {
        if (list.Count == 0)
        {
            return "<p data-testid=\"no-users\">No users yet.</p>";
        }

        var rows = new StringBuilder();
        foreach (var u in list)
        {
            var badge = u.MetabaseUserId is { } mb ? CultureInfoInvariant($"<span class=\"badge\" title=\"metabase_user_id\" data-testid=\"metabase-badge\" data-metabase-user-id=\"{mb}\">Metabase #{mb}</span>")
                : "<span class=\"badge\" data-testid=\"no-metabase-badge\">no Metabase account yet</span>";
            var execution = u.OffboardingExecutionId ?? u.OnboardingExecutionId;
            var executionLink = execution is null ? string.Empty : $"<a href=\"/hyopps/executions/{E(execution)}\" data-testid=\"execution-link\">execution</a>";
            var userUrl = $"/users/{E(Uri.EscapeDataString(u.Id))}";
            var remove = u.Status is PartnerUserStatus.Removed or PartnerUserStatus.Offboarding ? string.Empty
                : $"<a href=\"{userUrl}/edit\" data-testid=\"edit-user\">Edit</a> · <a href=\"{userUrl}/remove\" data-testid=\"remove-user\">Remove…</a>";
            rows.Append($"<tr data-user-id=\"{E(u.Id)}\" data-email=\"{E(u.Email)}\" data-status=\"{E(u.Status)}\"><td>{E(u.FirstName)} {E(u.LastName)}</td><td data-testid=\"user-email\">{E(u.Email)}</td><td data-testid=\"user-status\">{E(u.Status)}{CutShortNote(u)}</td><td>{badge}</td><td>{executionLink}</td><td>{remove}</td></tr>");
        }

        return $"<table data-testid=\"users-table\"><tr><th>Name</th><th>Email</th><th>Status</th><th>Metabase</th><th></th><th></th></tr>{rows}</table>";
    }

    /// <summary>Says, under the status, that the onboarding ended short and what the host did about the accounts it created.</summary>
    private static string CutShortNote(PartnerUserRecord u) => u.CutShortReason is not { } reason ? string.Empty
        : $"<br><small class=\"error\" data-testid=\"cut-short\" data-reason=\"{E(reason)}\">onboarding {E(reason)} before it finished; "
            + (u.HasRecordedAccounts ? "a removal of the accounts it created was started" : "no account had been created") + "</small>";

    private static async Task<IResult> AddUserAsync(string id, [FromForm] AddUserForm? form, HttpContext http, PartnerUserService service, OrgStore orgs, PartnerUserStore users, CancellationToken cancellationToken)
    {
        // A post with none of the form's fields binds to null: treat it as an empty form (400 naming the fields), not a 500.
        form ??= new AddUserForm();
        var actor = http.Actor();
        try
        {
            await service.AddAsync(actor, new AddUserRequest(id, form.Email, form.FirstName, form.LastName, form.StartAt), cancellationToken);
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

    private static string CultureInfoInvariant(FormattableString text) => FormattableString.Invariant(text);

    /// <summary>The add-user form.</summary>
    internal sealed class AddUserForm
    {
        public string? Email { get; set; }

        public string? FirstName { get; set; }

        public string? LastName { get; set; }

        public string? StartAt { get; set; }
    }
}
