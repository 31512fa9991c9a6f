namespace HyOpps.Integrations.Slack.Internal;

/// <summary>The durable state of a workspace invitation across attempts, so the invitation is sent once.</summary>
internal sealed record SlackInviteCheckpoint
{
    public bool InviteSent { get; init; }

    public DateTimeOffset InvitedAt { get; init; }

    public int Checks { get; init; }
}
