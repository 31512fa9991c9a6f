namespace HyOpps.Integrations.Slack.Internal;

/// <summary>What every Slack step works with: the client, the settings (checked once per attempt) and the user-group locks.</summary>
internal sealed class SlackConnection(SlackClient client, IOptions<SlackOptions> options, SlackUserGroupLocks locks)
{
    public SlackClient Client { get; } = client;

    public SlackOptions Options { get; } = options.Value;

    public SlackUserGroupLocks Locks { get; } = locks;

    /// <summary>Gets the settings; fails permanently, naming the settings to add, while Slack has no token.</summary>
    /// <param name="context">The attempt (unused: every Slack step shares one client).</param>
    public SlackOptions Open(StepContext context)
        => Options.IsConfigured ? Options : throw StepException.NotConfigured(Options.NotConfiguredMessage);
}
