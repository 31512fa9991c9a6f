namespace HyOpps.Testing.Sandbox;

/// <summary>How the simulators of a <see cref="HyOppsSandbox"/> behave.</summary>
public sealed class HyOppsSandboxOptions
{
    /// <summary>
    /// Gets or sets a value indicating whether invited people become visible only after one more look (Slack, Atlassian) and new
    /// Teams guests only after one more attempt, as with the real services. The default value is <see langword="true"/>.
    /// </summary>
    public bool EventualConsistency { get; set; } = true;
}
