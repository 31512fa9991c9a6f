namespace HyOpps.Integrations.Slack.Internal;

/// <summary>Marks a service collection where the one-time Slack registration has run.</summary>
internal sealed class SlackMarker
{
}
