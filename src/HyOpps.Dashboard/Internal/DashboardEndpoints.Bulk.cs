using HyOpps.Workflows;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace HyOpps.Dashboard.Internal;

/// <summary>Bulk actions: a filter form, a dry-run preview with the count and the first rows, a confirmation naming the count, the result.</summary>
internal sealed partial class DashboardEndpoints
{
    private const string BulkJobParameter = "hyoppsBulkJobId";

    private void MapBulk(RouteGroupBuilder group)
    {
        group.MapGet("/bulk", (Delegate)((HttpContext c) => BulkPreviewAsync(c))).WithDisplayName("HyOpps dashboard: bulk action preview");
        group.MapPost("/bulk", (Delegate)((HttpContext c) => BulkApplyAsync(c))).WithDisplayName("HyOpps dashboard: bulk action");
        group.MapGet("/bulk/jobs/{" + BulkJobParameter + "}", (Delegate)((HttpContext c) => BulkProgressAsync(c))).WithDisplayName("HyOpps dashboard: bulk action progress");
    }

    private async Task BulkPreviewAsync(HttpContext context)
    {
        var request = new DashboardRequest(context, options, prefix);
        if (!request.CanOperate)
        {
            await ForbiddenAsync(request).ConfigureAwait(false);
            return;
        }

        var (filter, error) = BulkFilter.Read(context.Request.Query);
        BulkActionResult? preview = null;
        if (error is null && context.Request.Query.ContainsKey("preview"))
        {
            preview = await RunBulkAsync(request, filter, new OperatorAction(ActorOf(context)), dryRun: true).ConfigureAwait(false);
        }

        await WriteHtmlAsync(context, error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest, BulkPage.Render(request, filter, preview, null, error)).ConfigureAwait(false);
    }

    private async Task BulkApplyAsync(HttpContext context)
    {
        var request = new DashboardRequest(context, options, prefix);
        if (await ReadOperatorFormAsync(request).ConfigureAwait(false) is not { } form)
        {
            return;
        }

        var (filter, error) = BulkFilter.Read(form);
        var reason = form["reason"].ToString().Trim();
        if (error is null && reason.Length > MaxReasonLength)
        {
            error = $"The reason is longer than {MaxReasonLength} characters.";
        }

        if (error is null && !string.Equals(form["confirm"].ToString(), "yes", StringComparison.Ordinal))
        {
            error = "Tick the box to confirm the bulk action; nothing was changed.";
        }

        var action = new OperatorAction(ActorOf(context), reason.Length == 0 ? null : reason);
        if (error is not null)
        {
            var preview = await RunBulkAsync(request, filter, action, dryRun: true).ConfigureAwait(false);
            await WriteHtmlAsync(context, StatusCodes.Status400BadRequest, BulkPage.Render(request, filter, preview, null, error)).ConfigureAwait(false);
            return;
        }

        // The action runs in the background, one short commit per execution; the confirmation answers at once with a
        // page that refreshes itself (no script) until the counts are final.
        var client = request.Client;
        var job = context.RequestServices.GetRequiredService<BulkJobs>().Start(filter, request.Scope, (progress, ct) => filter.Query(request.Scope) is { } query
            ? filter.Action switch
            {
                "cancel" => client.BulkCancelAsync(query, action, dryRun: false, progress, ct),
                "rerun" => client.BulkRerunFromAsync(query, filter.RerunStep!, action, dryRun: false, progress, ct),
                _ => client.BulkRetryAsync(query, action, dryRun: false, progress, ct),
            }
            : Task.FromResult(new BulkActionResult { DryRun = false, Matched = 0, Sample = [] }));
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Redirect($"{request.BasePath}/bulk/jobs/{job.Id}");
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
    }

    private async Task BulkProgressAsync(HttpContext context)
    {
        var request = new DashboardRequest(context, options, prefix);
        if (!request.CanOperate)
        {
            await ForbiddenAsync(request).ConfigureAwait(false);
            return;
        }

        var id = Convert.ToString(context.Request.RouteValues[BulkJobParameter], System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
        if (context.RequestServices.GetRequiredService<BulkJobs>().Find(id, request.Scope) is not { } job)
        {
            await WriteHtmlAsync(context, StatusCodes.Status404NotFound, MessagePage.Render(request, "Bulk action not found",
                "There is no such bulk action on this host: it may have run on another host or before a restart. Each execution's audit trail records it.")).ConfigureAwait(false);
            return;
        }

        await WriteHtmlAsync(context, StatusCodes.Status200OK, BulkPage.RenderJob(request, job)).ConfigureAwait(false);
    }

    private static async Task<BulkActionResult> RunBulkAsync(DashboardRequest request, BulkFilter filter, OperatorAction action, bool dryRun)
    {
        // A filter that cannot hold within the caller's scope matches nothing, like the list page.
        if (filter.Query(request.Scope) is not { } query)
        {
            return new BulkActionResult { DryRun = dryRun, Matched = 0, Sample = [] };
        }

        var client = request.Client;
        var ct = request.Context.RequestAborted;
        var result = filter.Action switch
        {
            "cancel" => await client.BulkCancelAsync(query, action, dryRun, cancellationToken: ct).ConfigureAwait(false),
            "rerun" => await client.BulkRerunFromAsync(query, filter.RerunStep!, action, dryRun, cancellationToken: ct).ConfigureAwait(false),
            _ => await client.BulkRetryAsync(query, action, dryRun, cancellationToken: ct).ConfigureAwait(false),
        };
        await request.DescribeLabelsAsync(result.Sample.Select(e => e.Labels)).ConfigureAwait(false);
        return result;
    }
}
