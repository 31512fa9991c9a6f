namespace HyOpps.Testing.Slack;

/// <summary>An invitation sent through the simulated <c>admin.users.invite</c>.</summary>
/// <param name="Email">The invited email.</param>
/// <param name="ChannelIds">The channels the invitation joins.</param>
/// <param name="RealName">The real name given, if any.</param>
public sealed record SlackSimulatorInvitation(string Email, IReadOnlyList<string> ChannelIds, string? RealName);
