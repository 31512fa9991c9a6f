namespace HyOpps.Testing.Atlassian;

/// <summary>A group of the <see cref="AtlassianSimulator"/>.</summary>
/// <param name="GroupId">The group id (a GUID string).</param>
/// <param name="Name">The group name.</param>
public sealed record AtlassianSimulatorGroup(string GroupId, string Name);
