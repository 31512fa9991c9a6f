namespace HyOpps.Onboarding;

/// <summary>A partner organisation and its integration ids; an integration whose id is absent is skipped.</summary>
public sealed record PartnerOrg
{
    /// <summary>Gets the host's id of the org.</summary>
    public string? Id { get; init; }

    /// <summary>Gets the org's display name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets a value indicating whether the org is active.</summary>
    public bool Active { get; init; } = true;

    /// <summary>Gets the Metabase permission group id.</summary>
    public int? MetabaseGroupId { get; init; }

    /// <summary>Gets the Microsoft Teams team id.</summary>
    public string? TeamsTeamId { get; init; }

    /// <summary>Gets the optional private channel id within the team.</summary>
    public string? TeamsChannelId { get; init; }

    /// <summary>Gets the Slack user group id (<c>S...</c>).</summary>
    public string? SlackUserGroupId { get; init; }

    /// <summary>Gets the optional Slack channel id (<c>C...</c>) to invite the user to.</summary>
    public string? SlackChannelId { get; init; }

    /// <summary>Gets the Atlassian group id.</summary>
    public string? AtlassianGroupId { get; init; }

    /// <summary>Gets the documentation links emailed to new users.</summary>
    public IReadOnlyList<DocumentationLink> DocumentationLinks { get; init; } = [];
}
