namespace HyOpps.Dashboard.Internal;

/// <summary>Endpoint metadata marking one <c>MapHyOppsDashboard</c> mount, so the start-up check finds its endpoints.</summary>
internal sealed record DashboardMount(string Prefix, bool AllowAnonymous);
