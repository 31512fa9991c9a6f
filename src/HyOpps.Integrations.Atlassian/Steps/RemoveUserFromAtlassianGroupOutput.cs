namespace HyOpps.Integrations.Atlassian;

/// <summary>The output of <see cref="RemoveUserFromAtlassianGroupStep"/>: <c>{"atlassian_account_id", "atlassian_group_id", "removed"}</c>.</summary>
public sealed record RemoveUserFromAtlassianGroupOutput
{
    /// <summary>Gets the person's Atlassian account id, or <see langword="null"/> when no account has their email.</summary>
    public string? AtlassianAccountId { get; init; }

    /// <summary>Gets the group id.</summary>
    public required string AtlassianGroupId { get; init; }

    /// <summary>Gets a value indicating whether this run removed the membership (<see langword="false"/> when there was none).</summary>
    public bool Removed { get; init; }
}
