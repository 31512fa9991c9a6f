namespace HyOpps.Integrations.Atlassian;

/// <summary>The input of <see cref="RemoveUserFromAtlassianGroupStep"/>: the account the person's onboarding recorded, and the group.</summary>
public sealed record RemoveUserFromAtlassianGroupInput
{
    /// <summary>Gets the Atlassian account id recorded by the person's onboarding; never one found afresh by email.</summary>
    public required string AccountId { get; init; }

    /// <summary>Gets the Atlassian group id.</summary>
    public required string GroupId { get; init; }
}
