namespace HyOpps.Workflows;

/// <summary>Reports whether an integration has the settings it needs; an integration registers one so that the HyOpps health checks can show it.</summary>
/// <remarks>
/// Register it with <c>services.TryAddEnumerable(ServiceDescriptor.Singleton&lt;IHyOppsIntegrationCheck, MyCheck&gt;())</c>.
/// A missing setting makes the health report Degraded, never Unhealthy: an org may not use the integration at all.
/// </remarks>
public interface IHyOppsIntegrationCheck
{
    /// <summary>Gets the integration's name, for example <c>Slack</c>.</summary>
    string Name { get; }

    /// <summary>Lists the configuration keys that are missing or invalid, for example <c>HyOpps:Slack:BotToken</c>; empty when configured.</summary>
    /// <returns>The keys, never a secret's value.</returns>
    IReadOnlyList<string> GetMissingSettings();
}
