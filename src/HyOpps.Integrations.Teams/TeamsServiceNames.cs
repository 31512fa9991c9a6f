namespace HyOpps.Integrations.Teams;

/// <summary>Names of the services the Teams integration registers, for callers that customise them.</summary>
/// <example>
/// Trust a simulator's self-signed certificate for token requests (tests and sandboxes only):
/// <code>services.AddHttpClient(TeamsServiceNames.IdentityHttpClient).ConfigurePrimaryHttpMessageHandler(simulator.CreateHttpMessageHandler);</code>
/// </example>
public static class TeamsServiceNames
{
    /// <summary>The service key of the keyed <c>Microsoft.Graph.GraphServiceClient</c> the Teams steps use.</summary>
    public const string GraphClientKey = "HyOpps.Teams";

    /// <summary>The name of the <see cref="System.Net.Http.HttpClient"/> that calls Microsoft Graph (Graph middleware and resilience).</summary>
    public const string GraphHttpClient = "HyOpps.Teams.Graph";

    /// <summary>The name of the <see cref="System.Net.Http.HttpClient"/> that requests tokens from the Entra ID authority.</summary>
    public const string IdentityHttpClient = "HyOpps.Teams.Identity";
}
