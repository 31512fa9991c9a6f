namespace HyOpps.Integrations.Atlassian;

/// <summary>The output of <see cref="AddUserToAtlassianGroupStep"/>: <c>{"atlassian_account_id", "atlassian_group_id", "added", "invited", "verified"}</c>.</summary>
public sealed record AddUserToAtlassianGroupOutput
{
    /// <summary>Gets the person's Atlassian account id.</summary>
    public required string AtlassianAccountId { get; init; }

    /// <summary>Gets the group id the person is a member of.</summary>
    public required string AtlassianGroupId { get; init; }

    /// <summary>Gets a value indicating whether this run added the membership (<see langword="false"/> when it existed already).</summary>
    public bool Added { get; init; }

    /// <summary>Gets a value indicating whether the person was invited because they had no account.</summary>
    public bool Invited { get; init; }

    /// <summary>Gets a value indicating whether the membership was read back from the group's member list.</summary>
    public bool Verified { get; init; }
}
