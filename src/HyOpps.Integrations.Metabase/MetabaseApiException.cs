using System.Net;

namespace HyOpps.Integrations.Metabase;

/// <summary>A Metabase API call failed: an error status, a network failure or a timeout.</summary>
/// <remarks>The message keeps the status and the service's own message (from a JSON or plain-text body); it never holds credentials.</remarks>
public sealed class MetabaseApiException : HyOppsException
{
    /// <summary>Initializes a new instance of the <see cref="MetabaseApiException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="method">The HTTP method of the failed request.</param>
    /// <param name="path">The path of the failed request, without the query.</param>
    /// <param name="statusCode">The status code, or <see langword="null"/> when no response came.</param>
    /// <param name="serviceMessage">The message from the response body.</param>
    /// <param name="retryAfter">The delay the service asked for.</param>
    /// <param name="innerException">The cause.</param>
    public MetabaseApiException(string message, string method, string path, HttpStatusCode? statusCode = null, string? serviceMessage = null, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Method = method;
        Path = path;
        StatusCode = statusCode;
        ServiceMessage = serviceMessage;
        RetryAfter = retryAfter;
    }

    /// <summary>Gets the HTTP method of the failed request.</summary>
    public string Method { get; }

    /// <summary>Gets the path of the failed request, without the query.</summary>
    public string Path { get; }

    /// <summary>Gets the status code, or <see langword="null"/> when no response came (network failure or timeout).</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Gets the message Metabase put in the response body, if any.</summary>
    public string? ServiceMessage { get; }

    /// <summary>Gets the delay Metabase asked for in <c>Retry-After</c>, if it did.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Gets a value indicating whether a later attempt may succeed: no response, 408, 429 or 5xx.</summary>
    public bool IsTransient => StatusCode is null or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)StatusCode >= 500;
}
