using System.Net;

namespace HyOpps.Integrations.Teams;

/// <summary>Microsoft Graph answered a call with an error.</summary>
/// <remarks>
/// The steps wrap it in the <c>StepException</c> they fail with (as its inner exception), so a host or a log reader sees the
/// status and Graph's error code. The message keeps Graph's own message; it never holds the client secret or a token.
/// </remarks>
public sealed class TeamsApiException : HyOppsException
{
    /// <summary>Initializes a new instance of the <see cref="TeamsApiException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="operation">What the step was doing, for example <c>adding the user to the team</c>.</param>
    /// <param name="statusCode">The HTTP status code Graph answered with.</param>
    /// <param name="errorCode">Graph's error code (for example <c>Authorization_RequestDenied</c>), if it sent one.</param>
    /// <param name="serviceMessage">Graph's error message, if it sent one.</param>
    /// <param name="retryAfter">The delay Graph asked for in <c>Retry-After</c>, if it did.</param>
    /// <param name="innerException">The cause.</param>
    public TeamsApiException(string message, string operation, HttpStatusCode statusCode, string? errorCode = null, string? serviceMessage = null, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Operation = operation;
        StatusCode = statusCode;
        ErrorCode = errorCode;
        ServiceMessage = serviceMessage;
        RetryAfter = retryAfter;
    }

    /// <summary>Gets what the step was doing when the call failed.</summary>
    public string Operation { get; }

    /// <summary>Gets the HTTP status code Graph answered with.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>Gets Graph's error code, if it sent one.</summary>
    public string? ErrorCode { get; }

    /// <summary>Gets Graph's error message, if it sent one.</summary>
    public string? ServiceMessage { get; }

    /// <summary>Gets the delay Graph asked for in <c>Retry-After</c>, if it did.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Gets a value indicating whether a later attempt may succeed: 408, 429 or 5xx.</summary>
    public bool IsTransient => StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)StatusCode >= 500;
}
