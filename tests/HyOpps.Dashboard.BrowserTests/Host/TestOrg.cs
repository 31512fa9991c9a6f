namespace HyOpps.Dashboard.BrowserTests.Host;

/// <summary>A partner org of the test host, with its Metabase group in the simulator.</summary>
/// <param name="Id">The org id, also the <c>org</c> label of its executions.</param>
/// <param name="Name">The display name.</param>
/// <param name="MetabaseGroupId">The org's Metabase permission group.</param>
internal sealed record TestOrg(string Id, string Name, int MetabaseGroupId);
