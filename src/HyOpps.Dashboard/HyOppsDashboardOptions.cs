using Microsoft.AspNetCore.Http;

namespace HyOpps.Dashboard;

/// <summary>Options of one mounted HyOpps dashboard: title, the caller's scope, who may operate, and branding.</summary>
/// <remarks>
/// Each <c>MapHyOppsDashboard</c> call has its own options, so one app can mount a full operator view and a
/// scoped partner view side by side. Authentication and authorization stay with the host
/// (<c>.RequireAuthorization(...)</c> on the returned group); these functions only read what the host already
/// established about the signed-in user, never roles or scopes supplied by the client.
/// </remarks>
public sealed class HyOppsDashboardOptions
{
    /// <summary>Gets or sets the title shown in the page header and the browser tab. The default value is <c>HyOpps</c>.</summary>
    public string Title { get; set; } = "HyOpps";

    /// <summary>Gets or sets a function returning the labels every listed, viewed or operated execution must carry, or <see langword="null"/> for no restriction.</summary>
    /// <remarks>
    /// For a partner admin return, say, <c>{ "org": "42" }</c>: executions without <c>org=42</c> are never listed, and
    /// their pages and actions answer 404. Filters in the query string cannot widen the scope. The default value
    /// returns <see langword="null"/> (every execution), which suits operators only.
    /// </remarks>
    public Func<HttpContext, IReadOnlyDictionary<string, string>?> ScopeLabels { get; set; } = static _ => null;

    /// <summary>Gets or sets a function deciding whether the caller may retry, re-run, cancel, approve and reject; when it returns <see langword="false"/> the buttons are hidden and actions answer 403. The default value returns <see langword="false"/> (view only).</summary>
    public Func<HttpContext, bool> CanOperate { get; set; } = static _ => false;

    /// <summary>Gets or sets a value indicating whether the dashboard may be served with no authorization at all. The default value is <see langword="false"/>.</summary>
    /// <remarks>
    /// When it is <see langword="false"/>, a mount whose endpoints carry no authorization (no <c>.RequireAuthorization(...)</c>,
    /// no <c>.AllowAnonymous()</c>) in an app without an authorization fallback policy fails at start-up.
    /// </remarks>
    public bool AllowAnonymous { get; set; }

    /// <summary>Gets or sets a function naming the caller in the audit trail of the actions they take. The default value is the user's name, else <c>anonymous</c>.</summary>
    public Func<HttpContext, string> GetActor { get; set; } = DefaultActor;

    /// <summary>Gets or sets a function giving the display name of a label key (for example <c>org</c> to <c>Organisation</c>), or <see langword="null"/> to hide that label; <see langword="null"/> shows every label under its key. The default value is <see langword="null"/>.</summary>
    public Func<string, string?>? LabelDisplay { get; set; }

    /// <summary>Gets or sets a function giving the display text of a label's value (for example an org id to the org's name), or <see langword="null"/> to show the value as it is. The default value is <see langword="null"/>.</summary>
    /// <remarks>
    /// It is called with the request, the label key and the label value, once per distinct key and value shown on a page, and only
    /// for labels of executions the caller may see. The text is HTML-encoded; the raw value stays in links, filters and the tooltip.
    /// Read <see cref="HttpContext.RequestAborted"/> for cancellation.
    /// </remarks>
    public Func<HttpContext, string, string, ValueTask<string?>>? LabelValueDisplay { get; set; }

    /// <summary>Gets or sets the URL of a stylesheet linked after the built-in one, for branding. The default value is <see langword="null"/>.</summary>
    public string? StylesheetUrl { get; set; }

    /// <summary>Gets or sets the URL of a "back to the app" link in the page header, or <see langword="null"/> for none. The default value is <see langword="null"/>.</summary>
    public string? BackLinkUrl { get; set; }

    /// <summary>Gets or sets the text of the link set by <see cref="BackLinkUrl"/>. The default value is <c>Back to the app</c>.</summary>
    public string BackLinkText { get; set; } = "Back to the app";

    /// <summary>Gets or sets how many executions one page of the list shows, 1 to 500. The default value is 25.</summary>
    public int PageSize { get; set; } = 25;

    /// <summary>Gets or sets how often a page showing a pending or running execution reloads itself (a meta refresh, no JavaScript); <see cref="TimeSpan.Zero"/> turns it off. The default value is 5 seconds.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    private static string DefaultActor(HttpContext context)
        => context.User.Identity?.Name is { Length: > 0 } name ? name : "anonymous";
}
