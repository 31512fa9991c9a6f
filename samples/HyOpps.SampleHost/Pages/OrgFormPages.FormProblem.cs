using System.Globalization;
using System.Text;
using HyOpps.SampleHost.Api;
using static HyOpps.SampleHost.Pages.Html;

namespace HyOpps.SampleHost.Pages;

/// <summary>How a refused form shows the API's problem.</summary>
internal static partial class OrgFormPages
{
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
