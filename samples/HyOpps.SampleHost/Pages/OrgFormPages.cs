using System.Globalization;
using System.Text;
using HyOpps.SampleHost.Api;
using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Domain;
using HyOpps.SampleHost.Security;
using Microsoft.AspNetCore.Mvc;
using static HyOpps.SampleHost.Pages.Html;

namespace HyOpps.SampleHost.Pages;

/// <summary>Admin pages that create and edit an org: name, status, integration ids and documentation links, validated exactly like the API.</summary>
internal static class OrgFormPages
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

    private static async Task<IResult> EditAsync(string id, HttpContext http, OrgStore orgs, CancellationToken cancellationToken)
    {
        var org = id.Length <= InputRules.MaxExternalIdLength ? await orgs.GetAsync(id, cancellationToken) : null;
        return org is null ? NotFound(http) : Form(http, org, OrgForm.From(org), null);
    }

    private static async Task<IResult> UpdateAsync(string id, [FromForm] OrgForm? form, HttpContext http, OrgStore orgs, CancellationToken cancellationToken)
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
            await OrgEndpoints.UpdateOrgAsync(existing.Id, request, errors, orgs, cancellationToken);
            return Results.Redirect($"/orgs/{Uri.EscapeDataString(existing.Id)}");
        }
        catch (ApiProblemException ex) when (ex.Status != StatusCodes.Status404NotFound)
        {
            return Form(http, existing, form, new FormProblem(ex, lines));
        }
        catch (ApiProblemException)
        {
            return NotFound(http);
        }
    }

    private static IResult NotFound(HttpContext http) => Page("Not found", "<p>No org with this id.</p>", StatusCodes.Status404NotFound, http);

    private static IResult Form(HttpContext http, OrgRecord? org, OrgForm form, FormProblem? problem)
    {
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

    /// <summary>The create and edit form: every field as typed, documentation links as "title | url" lines.</summary>
    internal sealed class OrgForm
    {
        public static OrgForm Empty => new() { Active = "true" };

        public string? Name { get; set; }

        /// <summary>Gets or sets the checkbox: "true" when ticked, absent when not.</summary>
        public string? Active { get; set; }

        public string? MetabaseGroupId { get; set; }

        public string? TeamsTeamId { get; set; }

        public string? TeamsChannelId { get; set; }

        public string? SlackUserGroupId { get; set; }

        public string? SlackChannelId { get; set; }

        public string? AtlassianGroupId { get; set; }

        public string? DocumentationLinks { get; set; }

        public string? AllowedEmailDomains { get; set; }

        public string? NotificationEmail { get; set; }

        public string? NotificationSlackChannelId { get; set; }

        public string? NotificationTeamsTeamId { get; set; }

        public string? NotificationTeamsChannelId { get; set; }

        public bool IsActive => string.Equals(Active, "true", StringComparison.OrdinalIgnoreCase) || string.Equals(Active, "on", StringComparison.OrdinalIgnoreCase);

        public static OrgForm From(OrgRecord org) => new()
        {
            Name = org.Name,
            Active = org.Active ? "true" : null,
            MetabaseGroupId = org.MetabaseGroupId?.ToString(CultureInfo.InvariantCulture),
            TeamsTeamId = org.TeamsTeamId,
            TeamsChannelId = org.TeamsChannelId,
            SlackUserGroupId = org.SlackUserGroupId,
            SlackChannelId = org.SlackChannelId,
            AtlassianGroupId = org.AtlassianGroupId,
            DocumentationLinks = string.Join('\n', org.DocumentationLinks.Select(l => $"{l.Title} | {l.Url}")),
            AllowedEmailDomains = string.Join(", ", org.AllowedEmailDomains),
            NotificationEmail = org.Notifications.Email,
            NotificationSlackChannelId = org.Notifications.SlackChannelId,
            NotificationTeamsTeamId = org.Notifications.TeamsTeamId,
            NotificationTeamsChannelId = org.Notifications.TeamsChannelId,
        };

        /// <summary>Turns the form into the API's request; what cannot be read goes into <paramref name="errors"/> under the API's field name.</summary>
        /// <param name="errors">Collects the errors.</param>
        /// <param name="lines">Gets, for each documentation link of the request, its line number in the text area.</param>
        public OrgRequest ToRequest(FieldErrors errors, out IReadOnlyList<int> lines)
        {
            int? groupId = null;
            if (!string.IsNullOrWhiteSpace(MetabaseGroupId))
            {
                if (int.TryParse(MetabaseGroupId.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                {
                    groupId = parsed;
                }
                else
                {
                    errors.Add("metabase_group_id", $"'{InputRules.Shorten(MetabaseGroupId.Trim())}' is not a positive whole number.");
                }
            }

            var links = new List<DocumentationLinkRequest>();
            var numbers = new List<int>();
            var text = (DocumentationLinks ?? string.Empty).Split('\n');
            for (var i = 0; i < text.Length; i++)
            {
                var line = text[i].Trim();
                if (line.Length == 0)
                {
                    continue;
                }

                // The last bar splits, so a title may contain bars; a URL never needs one unescaped.
                var bar = line.LastIndexOf('|');
                if (bar < 0)
                {
                    errors.Add("documentation_links", $"Line {i + 1}: '{InputRules.Shorten(line)}' is not of the form 'title | https://url'.");
                    continue;
                }

                links.Add(new DocumentationLinkRequest(line[..bar].Trim(), line[(bar + 1)..].Trim()));
                numbers.Add(i + 1);
            }

            lines = numbers;
            var domains = (AllowedEmailDomains ?? string.Empty).Split([',', ' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
            return new OrgRequest(Name, IsActive, groupId, TeamsTeamId, TeamsChannelId, SlackUserGroupId, SlackChannelId, AtlassianGroupId, links, domains,
                NotificationEmail, NotificationSlackChannelId, NotificationTeamsTeamId, NotificationTeamsChannelId);
        }
    }

    /// <summary>Why a form was refused: the answer's status and its messages, each under the field it names.</summary>
    internal sealed class FormProblem
    {
        private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
        {
            ["name"] = "Name",
            ["metabase_group_id"] = "Metabase group id",
            ["teams_team_id"] = "Teams team id",
            ["teams_channel_id"] = "Teams channel id",
            ["slack_user_group_id"] = "Slack user group id",
            ["slack_channel_id"] = "Slack channel id",
            ["atlassian_group_id"] = "Atlassian group id",
            ["documentation_links"] = "Documentation links",
            ["allowed_email_domains"] = "Allowed email domains",
            ["notification_email"] = "Notification email address",
            ["notification_slack_channel_id"] = "Notification Slack channel id",
            ["notification_teams_team_id"] = "Notification Teams team id",
            ["notification_teams_channel_id"] = "Notification Teams channel id",
            ["first_name"] = "First name",
            ["last_name"] = "Last name",
            ["email"] = "Email",
            ["confirm"] = "Confirmation",
        };

        private readonly List<(string Field, string Name, string Message)> _messages = [];

        public FormProblem(ApiProblemException problem, IReadOnlyList<int>? lines = null, string conflictField = "name")
        {
            ArgumentNullException.ThrowIfNull(problem);
            Status = problem.Status;
            if (problem.Errors is null)
            {
                _messages.Add((conflictField, Names.GetValueOrDefault(conflictField, conflictField), problem.Message));
                return;
            }

            foreach (var (key, messages) in problem.Errors)
            {
                var (field, name) = Describe(key, lines);
                _messages.AddRange(messages.Select(m => (field, name, m)));
            }
        }

        public FormProblem(int status, string field, string message)
        {
            Status = status;
            _messages.Add((field, Names.GetValueOrDefault(field, field), message));
        }

        public int Status { get; }

        public bool Has(string field) => _messages.Any(m => m.Field == field);

        public string Render()
        {
            var html = new StringBuilder("<ul class=\"error\" role=\"alert\" data-testid=\"form-errors\">");
            foreach (var (field, name, message) in _messages)
            {
                html.Append($"<li data-field=\"{E(field)}\"><strong>{E(name)}</strong>: {E(message)}</li>");
            }

            return html.Append("</ul>").ToString();
        }

        // "documentation_links[2].url" is the third link of the request: name the line of the text area it came from.
        private static (string Field, string Name) Describe(string key, IReadOnlyList<int>? lines)
        {
            const string Domains = "allowed_email_domains";
            if (key.StartsWith(Domains + "[", StringComparison.Ordinal))
            {
                return (Domains, Names[Domains]);
            }

            const string Links = "documentation_links";
            if (key.StartsWith(Links + "[", StringComparison.Ordinal))
            {
                var close = key.IndexOf(']', StringComparison.Ordinal);
                var part = close >= 0 && close + 1 < key.Length ? key[(close + 1)..].TrimStart('.') : null;
                var name = close > 0 && int.TryParse(key.AsSpan(Links.Length + 1, close - Links.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                    && lines is not null && index < lines.Count
                    ? $"Documentation links, line {lines[index].ToString(CultureInfo.InvariantCulture)}"
                    : "Documentation links";
                return (Links, part is null ? name : $"{name} ({(part == "url" ? "URL" : part)})");
            }

            return (key, Names.GetValueOrDefault(key, key));
        }
    }
}
