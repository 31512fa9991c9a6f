using System.Globalization;
using HyOpps.SampleHost.Api;
using HyOpps.SampleHost.Domain;

namespace HyOpps.SampleHost.Pages;

/// <summary>The org form's fields as typed, and their conversion to the API's request.</summary>
internal static partial class OrgFormPages
{
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
}
