using Microsoft.AspNetCore.Http;

namespace HyOpps.Dashboard.Internal;

/// <summary>The built-in stylesheet, served by the dashboard itself so pages need no inline styles.</summary>
internal static class DashboardStylesheet
{
    public const string Css = """
        :root { --hd-fg: #1f2328; --hd-muted: #656d76; --hd-border: #d0d7de; --hd-bg: #ffffff; --hd-soft: #f6f8fa;
          --hd-accent: #0969da; --hd-ok: #1a7f37; --hd-bad: #cf222e; --hd-warn: #9a6700; --hd-wait: #8250df; }
        * { box-sizing: border-box; }
        body.hd { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--hd-fg); background: var(--hd-bg); }
        .hd a { color: var(--hd-accent); }
        .hd-header { display: flex; gap: 1.5rem; align-items: center; padding: .75rem 1.5rem; background: #24292f; }
        .hd-header a { color: #fff; text-decoration: none; }
        .hd-brand { font-weight: 600; font-size: 1.1rem; }
        .hd-nav { display: flex; gap: 1rem; }
        .hd-main { padding: 1rem 1.5rem 3rem; max-width: 1200px; }
        .hd h1 { font-size: 1.5rem; margin: .5rem 0 1rem; }
        .hd h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
        .hd h3 { font-size: 1rem; margin: 0 0 .25rem; }
        .hd-muted { color: var(--hd-muted); font-weight: normal; }
        .hd-table { border-collapse: collapse; width: 100%; }
        .hd-table th, .hd-table td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid var(--hd-border); vertical-align: top; }
        .hd-table th { background: var(--hd-soft); font-weight: 600; }
        .hd-error-cell { color: var(--hd-bad); max-width: 28rem; }
        .hd-table time, .hd-summary time { white-space: nowrap; }
        .hd-table code, .hd-summary dd { overflow-wrap: anywhere; }
        .hd-badge { display: inline-block; padding: 0 .5rem; border-radius: 1rem; font-size: .8rem; font-weight: 600; border: 1px solid currentColor; white-space: nowrap; }
        .status-succeeded { color: var(--hd-ok); }
        .status-failed, .status-rejected { color: var(--hd-bad); }
        .status-running, .status-pending { color: var(--hd-accent); }
        .status-waitingforapproval { color: var(--hd-wait); }
        .status-cancelled, .status-skipped, .status-abandoned { color: var(--hd-muted); }
        .hd-step .hd-badge, .hd-table .hd-badge { font-size: .75rem; }
        .hd-label { display: inline-block; padding: 0 .4rem; margin: 0 .2rem .2rem 0; border-radius: .3rem; background: var(--hd-soft); border: 1px solid var(--hd-border); color: var(--hd-fg); text-decoration: none; font-size: .8rem; overflow-wrap: anywhere; }
        .hd-filters { display: flex; flex-wrap: wrap; gap: .75rem; align-items: end; margin-bottom: 1rem; padding: .75rem; background: var(--hd-soft); border: 1px solid var(--hd-border); border-radius: .4rem; }
        .hd-filters label { display: flex; flex-direction: column; font-size: .8rem; color: var(--hd-muted); }
        .hd input, .hd select, .hd button, .hd-button { font: inherit; padding: .3rem .5rem; border: 1px solid var(--hd-border); border-radius: .3rem; background: #fff; color: var(--hd-fg); }
        .hd button, .hd-button { cursor: pointer; background: var(--hd-soft); text-decoration: none; display: inline-block; }
        .hd button.hd-primary { background: var(--hd-ok); border-color: var(--hd-ok); color: #fff; }
        .hd button.hd-danger { background: #fff; border-color: var(--hd-bad); color: var(--hd-bad); }
        .hd-paging { margin-top: 1rem; display: flex; gap: 1rem; }
        .hd-flash { padding: .5rem .75rem; border-left: 4px solid var(--hd-ok); background: #dafbe1; }
        .hd-error { padding: .5rem .75rem; border-left: 4px solid var(--hd-bad); background: #ffebe9; white-space: pre-wrap; overflow-wrap: anywhere; }
        .hd-waiting { padding: .5rem .75rem; border-left: 4px solid var(--hd-wait); background: #fbefff; }
        .hd-prompt { font-style: italic; }
        .hd-summary { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0 0 1rem; }
        .hd-summary dt { color: var(--hd-muted); }
        .hd-summary dd { margin: 0; }
        .hd-steps { list-style: none; padding: 0; margin: 0; border-left: 3px solid var(--hd-border); }
        .hd-step { position: relative; margin: 0 0 1rem; padding: .5rem 0 .5rem 1.25rem; }
        .hd-step::before { content: ""; position: absolute; left: -8px; top: .9rem; width: 13px; height: 13px; border-radius: 50%; background: currentColor; }
        .hd-step > * { color: var(--hd-fg); }
        .hd-step.status-pending, .hd-step.status-pending .hd-badge { color: var(--hd-muted); }
        .hd-step-number { color: var(--hd-muted); }
        .hd-data summary, .hd-attempts summary { cursor: pointer; color: var(--hd-accent); }
        .hd pre { background: var(--hd-soft); border: 1px solid var(--hd-border); border-radius: .3rem; padding: .5rem .75rem; overflow: auto; max-height: 32rem; margin: .25rem 0; }
        .hd-actions { display: flex; flex-wrap: wrap; gap: .5rem; margin: .5rem 0; align-items: center; }
        .hd-action { display: inline-flex; gap: .3rem; }
        .hd-confirm { margin-top: 1rem; }
        .hd-numbers td, .hd-numbers th { text-align: right; }
        .hd-numbers th[scope="row"], .hd-numbers thead th:first-child { text-align: left; }
        .hd-chart { margin: 0 0 1rem; max-width: 760px; }
        .hd-chart svg { width: 100%; height: auto; display: block; }
        .hd-chart rect { fill: var(--hd-accent); }
        .hd-chart-axis { stroke: var(--hd-border); }
        .hd-chart text { font-size: 11px; fill: var(--hd-fg); }
        .hd-chart-hour { fill: var(--hd-muted); }
        .hd-progress { width: 100%; max-width: 28rem; height: 1rem; }
        """;

    public static async Task WriteAsync(HttpContext context)
    {
        context.Response.ContentType = "text/css; charset=utf-8";
        context.Response.Headers.CacheControl = "private, max-age=3600";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        await context.Response.WriteAsync(Css, context.RequestAborted).ConfigureAwait(false);
    }
}
