namespace HyOpps.Integrations.Metabase.Internal;

/// <summary>What every Metabase step needs before its first call: the settings, checked, and a client for the attempt.</summary>
internal sealed class MetabaseConnection(IHttpClientFactory httpClientFactory, IOptionsMonitor<MetabaseOptions> options)
{
    /// <summary>Gets the current settings and a client logging to the attempt's logger; fails permanently when Metabase is not configured.</summary>
    public MetabaseSession Open(StepContext context)
    {
        var settings = MetabaseStepSupport.RequireConfigured(options);
        return new MetabaseSession(settings, new MetabaseClient(httpClientFactory.CreateClient(MetabaseClient.HttpClientName), settings, context.Logger, context.TimeProvider));
    }
}
