using System.Globalization;
using HyOpps.SampleHost.Api;
using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Domain;
using HyOpps.SampleHost.Security;
using Microsoft.AspNetCore.Mvc;
using static HyOpps.SampleHost.Pages.Html;

namespace HyOpps.SampleHost.Pages;

/// <summary>Admin pages that create and edit an org: name, status, integration ids and documentation links, validated exactly like the API.</summary>
internal static partial class OrgFormPages
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/orgs/new", (HttpContext http) => Form(http, null, OrgForm.Empty, null)).RequireAuthorization(SecurityServiceCollectionExtensions.AdminPolicy).ExcludeFromDescription();
        app.MapPost("/orgs", CreateAsync).RequireAuthorization(SecurityServiceCollectionExtensions.AdminPolicy).ExcludeFromDescription();
        app.MapGet("/orgs/{id}/edit", EditAsync).RequireAuthorization(SecurityServiceCollectionExtensions.AdminPolicy).ExcludeFromDescription();
        app.MapPost("/orgs/{id}/edit", UpdateAsync).RequireAuthorization(SecurityServiceCollectionExtensions.AdminPolicy).ExcludeFromDescription();
    }

    private static async Task<IResult> CreateAsync([FromForm] OrgForm? form, HttpContext http, OrgStore orgs, CancellationToken cancellationToken)
    {
        form ??= new OrgForm();
        var errors = new FieldErrors();
        var request = form.ToRequest(errors, out var lines);
        try
        {
            var created = await OrgEndpoints.CreateOrgAsync(request, errors, orgs, cancellationToken);
            return Results.Redirect($"/orgs/{Uri.EscapeDataString(created.Id)}");
        }
        catch (ApiProblemException ex)
        {
            return Form(http, null, form, new FormProblem(ex, lines));
        }
    }

    private static async Task<IResult> EditAsync(string id, HttpContext http, OrgStore orgs, PartnerUserStore users, CancellationToken cancellationToken)
    {
        var org = id.Length <= InputRules.MaxExternalIdLength ? await orgs.GetAsync(id, cancellationToken) : null;
        return org is null ? NotFound(http) : Form(http, org, OrgForm.From(org), null, await ActiveUsersAsync(users, org, cancellationToken));
    }

    private static async Task<IResult> UpdateAsync(string id, [FromForm] OrgForm? form, HttpContext http, OrgStore orgs, PartnerUserStore users, OrgChangeService changes, CancellationToken cancellationToken)
    {
        var existing = id.Length <= InputRules.MaxExternalIdLength ? await orgs.GetAsync(id, cancellationToken) : null;
        if (existing is null)
        {
            return NotFound(http);
        }

        form ??= new OrgForm();
        var errors = new FieldErrors();
        var request = form.ToRequest(errors, out var lines);
        try
        {
            var (_, removals) = await changes.UpdateAsync(http.Actor(), existing.Id, request, errors, cancellationToken);
            return Results.Redirect($"/orgs/{Uri.EscapeDataString(existing.Id)}" + (removals.Count == 0 ? string.Empty : $"?{FormerGroupRemovalsQuery}={removals.Count}"));
        }
        catch (ApiProblemException ex) when (ex.Status != StatusCodes.Status404NotFound)
        {
            return Form(http, existing, form, new FormProblem(ex, lines), await ActiveUsersAsync(users, existing, cancellationToken));
        }
        catch (ApiProblemException)
        {
            return NotFound(http);
        }
    }

    /// <summary>The query parameter of the org page that says how many removals from former groups the last save started.</summary>
    internal const string FormerGroupRemovalsQuery = "former_group_removals";

    private static IResult NotFound(HttpContext http) => Page("Not found", "<p>No org with this id.</p>", StatusCodes.Status404NotFound, http);

    private static async Task<int> ActiveUsersAsync(PartnerUserStore users, OrgRecord org, CancellationToken cancellationToken)
        => (await users.ListAsync(org.Id, PartnerUserStatus.Active, cancellationToken)).Count;

    private static IResult Form(HttpContext http, OrgRecord? org, OrgForm form, FormProblem? problem, int activeUsers = 0)
    {
        // Said before saving: the form has no script to ask once the ids changed, so the consequence is stated next to them.
        var warning = activeUsers == 0 ? string.Empty
            : $"<p class=\"error\" role=\"note\" data-testid=\"former-groups-warning\">This org has {activeUsers.ToString(CultureInfo.InvariantCulture)} active "
                + (activeUsers == 1 ? "user" : "users") + ". Changing or clearing the Metabase group, Teams team, Slack user group or Atlassian group id "
                + "takes each of them out of the former group when you save (their accounts stay); nobody is added to the new group.</p>";
        string Text(string field, string name, string inputName, string? value, int maxLength, string? hint = null)
            => $"<p><label>{E(name)} <input name=\"{inputName}\" maxlength=\"{maxLength}\" value=\"{E(value)}\" data-testid=\"org-{E(field)}\"{Invalid(problem, field)}></label>{(hint is null ? string.Empty : $" <small>{E(hint)}</small>")}</p>";

        var action = org is null ? "/orgs" : $"/orgs/{E(Uri.EscapeDataString(org.Id))}/edit";
        var cancel = org is null ? "/orgs" : $"/orgs/{E(Uri.EscapeDataString(org.Id))}";
        var body = $"""
            {problem?.Render() ?? string.Empty}
            <form method="post" action="{action}" data-testid="org-form">
              {Antiforgery(http)}
              <p><label>Name <input name="Name" required maxlength="{InputRules.MaxOrgNameLength}" value="{E(form.Name)}" data-testid="org-name"{Invalid(problem, "name")}></label></p>
              <p><label><input type="checkbox" name="Active" value="true"{(form.IsActive ? " checked" : string.Empty)} data-testid="org-active"> Active (new users may be added)</label></p>
              <fieldset><legend>Integration ids</legend>
              {warning}
              {Text("metabase_group_id", "Metabase group id", "MetabaseGroupId", form.MetabaseGroupId, 10, "a positive number")}
              {Text("teams_team_id", "Teams team id", "TeamsTeamId", form.TeamsTeamId, InputRules.MaxExternalIdLength)}
              {Text("teams_channel_id", "Teams channel id", "TeamsChannelId", form.TeamsChannelId, InputRules.MaxExternalIdLength, "needs the team id")}
              {Text("slack_user_group_id", "Slack user group id", "SlackUserGroupId", form.SlackUserGroupId, InputRules.MaxExternalIdLength)}
              {Text("slack_channel_id", "Slack channel id", "SlackChannelId", form.SlackChannelId, InputRules.MaxExternalIdLength)}
              {Text("atlassian_group_id", "Atlassian group id", "AtlassianGroupId", form.AtlassianGroupId, InputRules.MaxExternalIdLength)}
              </fieldset>
              <fieldset><legend>Notifications (failures and approvals of this org's executions; empty: the host's global target)</legend>
              {Text("notification_email", "Email address", "NotificationEmail", form.NotificationEmail, InputRules.MaxEmailLength)}
              {Text("notification_slack_channel_id", "Slack channel id", "NotificationSlackChannelId", form.NotificationSlackChannelId, InputRules.MaxExternalIdLength)}
              {Text("notification_teams_team_id", "Teams team id", "NotificationTeamsTeamId", form.NotificationTeamsTeamId, InputRules.MaxExternalIdLength)}
              {Text("notification_teams_channel_id", "Teams channel id", "NotificationTeamsChannelId", form.NotificationTeamsChannelId, InputRules.MaxExternalIdLength, "needs the team id")}
              </fieldset>
              {Text("allowed_email_domains", "Allowed email domains", "AllowedEmailDomains", form.AllowedEmailDomains, 2000, "comma-separated, for example partner.example: the org's partner admins may add addresses in these domains only")}
              <p><label>Documentation links, one per line as <code>title | https://url</code> (at most {InputRules.MaxDocumentationLinks}; empty lines are ignored)<br>
              <textarea name="DocumentationLinks" rows="6" cols="90" data-testid="org-documentation-links"{Invalid(problem, "documentation_links")}>{E(form.DocumentationLinks)}</textarea></label></p>
              <p><button data-testid="save-org">{(org is null ? "Create org" : "Save changes")}</button> <a href="{cancel}" data-testid="cancel">Cancel</a></p>
            </form>
            """;
        return Page(org is null ? "Create an org" : $"Edit {org.Name}", body, problem?.Status ?? StatusCodes.Status200OK, http);
    }

    private static string Invalid(FormProblem? problem, string field) => problem?.Has(field) == true ? " aria-invalid=\"true\"" : string.Empty;
}
