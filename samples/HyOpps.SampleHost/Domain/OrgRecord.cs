using HyOpps.Onboarding;

namespace HyOpps.SampleHost.Domain;

/// <summary>A partner organisation: its integration ids and documentation links.</summary>
public sealed record OrgRecord
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public bool Active { get; init; } = true;

    public int? MetabaseGroupId { get; init; }

    public string? TeamsTeamId { get; init; }

    public string? TeamsChannelId { get; init; }

    public string? SlackUserGroupId { get; init; }

    public string? SlackChannelId { get; init; }

    public string? AtlassianGroupId { get; init; }

    public IReadOnlyList<DocumentationLink> DocumentationLinks { get; init; } = [];

    /// <summary>Gets where this org's execution notifications go; empty means the global target (the Notifications section).</summary>
    public NotificationTarget Notifications { get; init; } = NotificationTarget.None;

    /// <summary>Gets the email domains (lower-case) a partner admin of this org may add people from; admins may add any.</summary>
    public IReadOnlyList<string> AllowedEmailDomains { get; init; } = [];

    /// <summary>Returns whether a normalised email is in one of the allowed domains (exactly; subdomains are not included).</summary>
    public bool AllowsEmail(string normalizedEmail) => AllowedEmailDomains.Contains(InputRules.EmailDomain(normalizedEmail), StringComparer.Ordinal);

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Returns the org as the onboarding workflows' input contract.</summary>
    public PartnerOrg ToPartnerOrg() => new()
    {
        Id = Id,
        Name = Name,
        Active = Active,
        MetabaseGroupId = MetabaseGroupId,
        TeamsTeamId = TeamsTeamId,
        TeamsChannelId = TeamsChannelId,
        SlackUserGroupId = SlackUserGroupId,
        SlackChannelId = SlackChannelId,
        AtlassianGroupId = AtlassianGroupId,
        DocumentationLinks = DocumentationLinks,
    };
}
