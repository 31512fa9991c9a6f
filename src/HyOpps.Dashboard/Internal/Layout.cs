using System.Globalization;

namespace HyOpps.Dashboard.Internal;

/// <summary>The page frame shared by every dashboard page.</summary>
internal static class Layout
{
    public static string Render(DashboardRequest request, string pageTitle, Markup content, bool refresh = false)
    {
        var options = request.Options;
        var html = new HtmlBuilder();
        html.Append($"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        if (refresh && options.RefreshInterval > TimeSpan.Zero)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(options.RefreshInterval.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            html.Append($"<meta http-equiv=\"refresh\" content=\"{seconds}\" data-testid=\"auto-refresh\">\n");
        }

        html.Append($"<title>{pageTitle} · {options.Title}</title>\n<link rel=\"stylesheet\" href=\"{request.BasePath}/dashboard.css\">\n");
        if (options.StylesheetUrl is { Length: > 0 } stylesheet)
        {
            html.Append($"<link rel=\"stylesheet\" href=\"{stylesheet}\">\n");
        }

        html.Append($"</head>\n<body class=\"hd\">\n<header class=\"hd-header\">\n<a class=\"hd-brand\" href=\"{request.ListUrl}\" data-testid=\"dashboard-home\">{options.Title}</a>\n<nav class=\"hd-nav\"><a href=\"{request.BasePath}/overview\" data-testid=\"nav-overview\">Overview</a> <a href=\"{request.ListUrl}\">Executions</a> <a href=\"{request.BasePath}/scheduled\" data-testid=\"nav-scheduled\">Scheduled</a>");
        if (options.BackLinkUrl is { Length: > 0 } back)
        {
            html.Append($" <a href=\"{back}\" data-testid=\"back-link\">{options.BackLinkText}</a>");
        }

        html.Append($"</nav>\n</header>\n<main class=\"hd-main\" id=\"hyopps-main\">\n{content}</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>A notice at the top of a page: a confirmation (status) or a problem (alert).</summary>
    public static Markup Notice(string? success, string? error)
    {
        var html = new HtmlBuilder();
        if (!string.IsNullOrEmpty(success))
        {
            html.Append($"<p class=\"hd-flash\" role=\"status\" data-testid=\"flash\">{success}</p>\n");
        }

        if (!string.IsNullOrEmpty(error))
        {
            html.Append($"<p class=\"hd-error\" role=\"alert\" data-testid=\"error-message\">{error}</p>\n");
        }

        return html.ToMarkup();
    }
}
