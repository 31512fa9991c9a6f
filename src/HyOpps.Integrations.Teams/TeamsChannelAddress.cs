namespace HyOpps.Integrations.Teams;

/// <summary>A Microsoft Teams channel: its team (Microsoft 365 group) id and channel id.</summary>
/// <param name="TeamId">The team id, a GUID.</param>
/// <param name="ChannelId">The channel id, like <c>19:…@thread.tacv2</c>.</param>
public sealed record TeamsChannelAddress(string TeamId, string ChannelId);
