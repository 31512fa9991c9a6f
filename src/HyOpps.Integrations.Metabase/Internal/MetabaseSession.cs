namespace HyOpps.Integrations.Metabase.Internal;

/// <summary>What a Metabase step works with during one attempt: the checked settings and a client logging to the attempt's logger.</summary>
internal sealed record MetabaseSession(MetabaseOptions Settings, MetabaseClient Client);
