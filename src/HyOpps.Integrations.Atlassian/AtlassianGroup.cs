namespace HyOpps.Integrations.Atlassian;

/// <summary>An Atlassian group.</summary>
/// <param name="GroupId">The group id, which never changes.</param>
/// <param name="Name">The group name, which can change.</param>
public sealed record AtlassianGroup(string GroupId, string Name);
