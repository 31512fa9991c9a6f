using Microsoft.Extensions.Http.Logging;

namespace HyOpps.Integrations.Teams.Internal;

/// <summary>
/// Logs each Graph and token request as method, URL, status and duration, and never headers: the default
/// HttpClient logger redacts header values in its message but hands the raw values (the bearer token) to
/// structured sinks in its state.
/// </summary>
internal sealed partial class TeamsHttpClientLogger(ILogger<TeamsHttpClientLogger> logger) : IHttpClientLogger
{
    public object? LogRequestStart(HttpRequestMessage request) => null;

    public void LogRequestStop(object? context, HttpRequestMessage request, HttpResponseMessage response, TimeSpan elapsed)
        => LogStop(logger, request.Method, Describe(request.RequestUri), (int)response.StatusCode, elapsed.TotalMilliseconds);

    public void LogRequestFailed(object? context, HttpRequestMessage request, HttpResponseMessage? response, Exception exception, TimeSpan elapsed)
        => LogFailed(logger, request.Method, Describe(request.RequestUri), elapsed.TotalMilliseconds, exception.GetType().Name, exception.Message);

    // The path and query hold ids and email filters only; credentials travel in headers and bodies, which are not logged.
    private static string Describe(Uri? uri) => uri?.GetComponents(UriComponents.SchemeAndServer | UriComponents.PathAndQuery, UriFormat.UriEscaped) ?? string.Empty;

    [LoggerMessage(EventId = 5401, Level = LogLevel.Debug, Message = "{Method} {Url} answered {StatusCode} in {ElapsedMilliseconds:0.0} ms")]
    private static partial void LogStop(ILogger logger, HttpMethod method, string url, int statusCode, double elapsedMilliseconds);

    [LoggerMessage(EventId = 5402, Level = LogLevel.Debug, Message = "{Method} {Url} failed after {ElapsedMilliseconds:0.0} ms: {ExceptionType}: {ExceptionMessage}")]
    private static partial void LogFailed(ILogger logger, HttpMethod method, string url, double elapsedMilliseconds, string exceptionType, string exceptionMessage);
}
