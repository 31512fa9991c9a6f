using HyOpps.Onboarding;
using HyOpps.SampleHost.Domain;
using HyOpps.SampleHost.Notifications;

namespace HyOpps.SampleHost.Api;

/// <summary>The org request's rules, shared by the API and the org form.</summary>
internal static partial class OrgEndpoints
{
    internal static OrgRecord Validate(OrgRequest request, OrgRecord existing, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            errors.Add("name", "The name is required.");
        }
        else if (request.Name.Trim().Length > InputRules.MaxOrgNameLength)
        {
            errors.Add("name", $"The name is longer than {InputRules.MaxOrgNameLength} characters.");
        }
        else if (request.Name.Any(char.IsControl))
        {
            errors.Add("name", "The name contains control characters.");
        }

        if (request.MetabaseGroupId is <= 0)
        {
            errors.Add("metabase_group_id", "The Metabase group id must be a positive number.");
        }

        var teamsTeam = ExternalId(errors, "teams_team_id", request.TeamsTeamId);
        var teamsChannel = ExternalId(errors, "teams_channel_id", request.TeamsChannelId);
        if (teamsChannel is not null && teamsTeam is null)
        {
            errors.Add("teams_channel_id", "A Teams channel needs its team: set teams_team_id too.");
        }

        var slackGroup = ExternalId(errors, "slack_user_group_id", request.SlackUserGroupId);
        var slackChannel = ExternalId(errors, "slack_channel_id", request.SlackChannelId);
        var atlassian = ExternalId(errors, "atlassian_group_id", request.AtlassianGroupId);
        var notifications = NotificationTargetRules.Validate(errors, request, ExternalId);
        var links = new List<DocumentationLink>();
        var requested = request.DocumentationLinks ?? [];
        if (requested.Count > InputRules.MaxDocumentationLinks)
        {
            errors.Add("documentation_links", $"At most {InputRules.MaxDocumentationLinks} documentation links.");
        }
        else
        {
            for (var i = 0; i < requested.Count; i++)
            {
                var link = requested[i];
                var field = $"documentation_links[{i}]";
                if (link is null)
                {
                    errors.Add(field, "The link is empty.");
                    continue;
                }

                if (string.IsNullOrWhiteSpace(link.Title))
                {
                    errors.Add(field + ".title", "The title is required.");
                }
                else if (link.Title.Trim().Length > InputRules.MaxLinkTitleLength || link.Title.Any(char.IsControl))
                {
                    errors.Add(field + ".title", $"The title must be at most {InputRules.MaxLinkTitleLength} characters, without control characters.");
                }

                if (InputRules.CheckDocumentationUrl(link.Url, out var url) is { } problem)
                {
                    errors.Add(field + ".url", problem);
                }
                else if (link.Title is not null)
                {
                    links.Add(new DocumentationLink(link.Title.Trim(), url!));
                }
            }
        }

        var domains = new List<string>();
        var requestedDomains = request.AllowedEmailDomains ?? [];
        if (requestedDomains.Count > InputRules.MaxAllowedEmailDomains)
        {
            errors.Add("allowed_email_domains", $"At most {InputRules.MaxAllowedEmailDomains} allowed email domains.");
        }
        else
        {
            for (var i = 0; i < requestedDomains.Count; i++)
            {
                var domain = requestedDomains[i]?.Trim().ToLowerInvariant() ?? string.Empty;
                if (InputRules.CheckEmailDomain(domain) is { } problem)
                {
                    errors.Add($"allowed_email_domains[{i}]", problem);
                }
                else if (!domains.Contains(domain, StringComparer.Ordinal))
                {
                    domains.Add(domain);
                }
            }
        }

        if (errors.Any)
        {
            throw ApiProblemException.Invalid(errors);
        }

        return existing with
        {
            Name = request.Name!.Trim(),
            Active = request.Active ?? true,
            MetabaseGroupId = request.MetabaseGroupId,
            TeamsTeamId = teamsTeam,
            TeamsChannelId = teamsChannel,
            SlackUserGroupId = slackGroup,
            SlackChannelId = slackChannel,
            AtlassianGroupId = atlassian,
            DocumentationLinks = links,
            AllowedEmailDomains = domains,
            Notifications = notifications,
        };
    }

    internal static string? ExternalId(FieldErrors errors, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var trimmed = value.Trim();
        if (trimmed.Length > InputRules.MaxExternalIdLength || trimmed.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            errors.Add(field, $"The id must be at most {InputRules.MaxExternalIdLength} characters, without spaces or control characters.");
            return null;
        }

        return trimmed;
    }
}
