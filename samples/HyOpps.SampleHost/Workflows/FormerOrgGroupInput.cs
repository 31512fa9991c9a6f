using HyOpps.Onboarding;

namespace HyOpps.SampleHost.Workflows;

/// <summary>
/// The input of remove_from_former_org_groups: one active user, the accounts their onboarding recorded, and the one group the
/// org no longer uses (the other ids are null).
/// </summary>
public sealed record FormerOrgGroupInput
{
    public required string OrgId { get; init; }

    public required string Email { get; init; }

    public RecordedAccounts Accounts { get; init; } = new();

    public int? MetabaseGroupId { get; init; }

    public string? TeamsTeamId { get; init; }

    public string? SlackUserGroupId { get; init; }

    public string? AtlassianGroupId { get; init; }
}
