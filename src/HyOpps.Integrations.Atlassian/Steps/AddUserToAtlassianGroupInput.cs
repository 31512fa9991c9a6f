namespace HyOpps.Integrations.Atlassian;

/// <summary>The input of <see cref="AddUserToAtlassianGroupStep"/>: whose account joins which group.</summary>
public sealed record AddUserToAtlassianGroupInput
{
    /// <summary>Gets the person's email, by which their Atlassian account is found (compared trimmed and lower-cased).</summary>
    public required string Email { get; init; }

    /// <summary>Gets the Atlassian group id.</summary>
    public required string GroupId { get; init; }
}
