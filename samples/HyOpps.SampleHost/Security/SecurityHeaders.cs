namespace HyOpps.SampleHost.Security;

/// <summary>One middleware for the response headers: every answer gets nosniff; every HTML page a script-free CSP, no framing and a same-origin referrer.</summary>
internal static class SecurityHeaders
{
    /// <summary>The policy of every HTML page: no script at all, styles only from this host, no framing, forms only to this host.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'none'; object-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
        => app.Use((http, next) =>
        {
            // At OnStarting the content type is known, whichever endpoint (or the dashboard, or an error handler) wrote the answer.
            http.Response.OnStarting(static state =>
            {
                var response = (HttpResponse)state;
                var headers = response.Headers;
                headers.XContentTypeOptions = "nosniff";
                if (response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
                {
                    headers.ContentSecurityPolicy = ContentSecurityPolicy;
                    headers.XFrameOptions = "DENY";
                    headers["Referrer-Policy"] = "same-origin";
                }

                return Task.CompletedTask;
            }, http.Response);
            return next(http);
        });
}
