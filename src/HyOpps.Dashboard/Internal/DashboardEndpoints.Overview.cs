using HyOpps.Workflows;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace HyOpps.Dashboard.Internal;

/// <summary>The overview: counts, failing steps, starts per hour, the due backlog, a label search and the retention dry run.</summary>
internal sealed partial class DashboardEndpoints
{
    private void MapOverview(RouteGroupBuilder group)
        => group.MapGet("/overview", (Delegate)((HttpContext c) => OverviewAsync(c))).WithDisplayName("HyOpps dashboard: overview");

    private async Task OverviewAsync(HttpContext context)
    {
        var request = new DashboardRequest(context, options, prefix);
        var overview = await request.Client.GetOverviewAsync(request.Scope, context.RequestAborted).ConfigureAwait(false);

        // Retention counts every org's executions: shown to unscoped callers only, so a partner admin learns nothing of others.
        IReadOnlyList<ExpiredExecutionCount>? expired = null;
        if (request.Scope is null && context.RequestServices.GetService<IExecutionRetention>() is { } retention)
        {
            expired = await retention.CountExpiredAsync(context.RequestAborted).ConfigureAwait(false);
        }

        await WriteHtmlAsync(context, StatusCodes.Status200OK, OverviewPage.Render(request, overview, expired)).ConfigureAwait(false);
    }
}
