using HyOpps.Workflows.Storage;

namespace HyOpps.Workflows.Internal;

/// <content>The overview, read from the store at the runtime's own time so that tests control "the last 24 hours".</content>
internal sealed partial class WorkflowClient
{
    public async Task<ExecutionOverview> GetOverviewAsync(IReadOnlyDictionary<string, string>? labels = null, CancellationToken cancellationToken = default)
        => await store.GetOverviewAsync(
            new OverviewRequest { Now = time.GetUtcNow(), Labels = labels ?? new Dictionary<string, string>() },
            cancellationToken).ConfigureAwait(false);
}
