namespace HyOpps.Integrations.Atlassian.Internal;

/// <summary>What every Atlassian step works with: the client, and the settings checked at each attempt.</summary>
internal sealed class AtlassianConnection(AtlassianClient client, IOptionsMonitor<AtlassianOptions> options)
{
    public AtlassianClient Client { get; } = client;

    /// <summary>Gets the current settings; fails permanently, naming the settings, while Atlassian is misconfigured or not configured.</summary>
    /// <param name="context">The attempt (unused: every Atlassian step shares one client).</param>
    public AtlassianOptions Open(StepContext context)
    {
        var current = AtlassianStepErrors.CurrentOptions(options);
        return current.IsConfigured ? current : throw StepException.NotConfigured(current.NotConfiguredMessage);
    }
}
