namespace HyOpps.Testing.Sandbox;

/// <summary>The ids of the resources <see cref="HyOppsSandbox.ProvisionOrg"/> made for one org in the simulators.</summary>
public sealed record HyOppsSandboxOrg
{
    /// <summary>Gets the Metabase group id.</summary>
    public int? MetabaseGroupId { get; init; }

    /// <summary>Gets the Teams team id.</summary>
    public string? TeamsTeamId { get; init; }

    /// <summary>Gets the Teams channel id.</summary>
    public string? TeamsChannelId { get; init; }

    /// <summary>Gets the Slack user group id.</summary>
    public string? SlackUserGroupId { get; init; }

    /// <summary>Gets the Slack channel id.</summary>
    public string? SlackChannelId { get; init; }

    /// <summary>Gets the Atlassian group id.</summary>
    public string? AtlassianGroupId { get; init; }
}
