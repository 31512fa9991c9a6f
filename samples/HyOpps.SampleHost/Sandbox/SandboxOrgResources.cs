namespace HyOpps.SampleHost.Sandbox;

/// <summary>The simulator-side group, team, user group and channel made for one org in sandbox mode.</summary>
public sealed record SandboxOrgResources
{
    public int? MetabaseGroupId { get; init; }

    public string? TeamsTeamId { get; init; }

    public string? TeamsChannelId { get; init; }

    public string? SlackUserGroupId { get; init; }

    public string? SlackChannelId { get; init; }

    public string? AtlassianGroupId { get; init; }
}
