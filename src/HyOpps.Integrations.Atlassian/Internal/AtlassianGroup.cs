namespace HyOpps.Integrations.Atlassian.Internal;

/// <summary>An Atlassian group.</summary>
/// <param name="GroupId">The group id, which never changes.</param>
/// <param name="Name">The group name, which can change.</param>
internal sealed record AtlassianGroup(string GroupId, string Name);
