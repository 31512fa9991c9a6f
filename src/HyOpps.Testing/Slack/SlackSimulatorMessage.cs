namespace HyOpps.Testing.Slack;

/// <summary>A message the <see cref="SlackSimulator"/> accepted with <c>chat.postMessage</c>.</summary>
/// <param name="ChannelId">The channel id it went to.</param>
/// <param name="Ts">The message timestamp the simulator answered, Slack's id of the message.</param>
/// <param name="Text">The text (mrkdwn).</param>
/// <param name="BlocksJson">The Block Kit blocks as a JSON array, or <see langword="null"/> when none were sent.</param>
/// <param name="UnfurlLinks">Whether the caller asked Slack to preview links.</param>
/// <param name="PostedAt">When the simulator accepted it, by <see cref="SlackSimulator.TimeProvider"/>.</param>
public sealed record SlackSimulatorMessage(string ChannelId, string Ts, string Text, string? BlocksJson, bool UnfurlLinks, DateTimeOffset PostedAt);
