namespace HyOpps.Dashboard.Internal;

/// <summary>Renders a page that only explains a problem (not found, forbidden, bad request).</summary>
internal static class MessagePage
{
    public static string Render(DashboardRequest request, string title, string message)
    {
        var html = new HtmlBuilder();
        html.Append($"<h1>{title}</h1>\n<p class=\"hd-error\" role=\"alert\" data-testid=\"error-message\">{message}</p>\n<p><a href=\"{request.ListUrl}\">Back to the executions</a></p>\n");
        return Layout.Render(request, title, html.ToMarkup());
    }
}
