using System.Net;
using HyOpps.Integrations.Slack.Internal;

namespace HyOpps.Integrations.Slack;

/// <summary>A Slack Web API call failed: <c>ok: false</c>, an HTTP error, a timeout or a network failure.</summary>
/// <remarks>The message names the method and Slack's error code; it never contains a token.</remarks>
public sealed class SlackApiException : HyOppsException
{
    /// <summary>Initializes a new instance of the <see cref="SlackApiException"/> class.</summary>
    /// <param name="method">The Web API method, for example <c>usergroups.users.update</c>.</param>
    /// <param name="error">Slack's error code (for example <c>missing_scope</c>), or a code of ours such as <c>http_503</c> or <c>request_timeout</c>.</param>
    /// <param name="message">The message; never include secrets.</param>
    /// <param name="statusCode">The HTTP status code, when a response arrived.</param>
    /// <param name="retryAfter">The delay Slack asked for with <c>Retry-After</c>.</param>
    /// <param name="needed">The scope Slack said is needed, for <c>missing_scope</c>.</param>
    /// <param name="provided">The scopes Slack said the token has, for <c>missing_scope</c>.</param>
    /// <param name="innerException">The cause.</param>
    public SlackApiException(
        string method,
        string error,
        string message,
        HttpStatusCode? statusCode = null,
        TimeSpan? retryAfter = null,
        string? needed = null,
        string? provided = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentException.ThrowIfNullOrEmpty(error);
        Method = method;
        Error = error;
        StatusCode = statusCode;
        RetryAfter = retryAfter;
        Needed = needed;
        Provided = provided;
    }

    /// <summary>Gets the Web API method that failed.</summary>
    public string Method { get; }

    /// <summary>Gets Slack's error code, or <c>http_&lt;status&gt;</c>, <c>request_timeout</c>, <c>network_error</c> or <c>invalid_response</c>.</summary>
    public string Error { get; }

    /// <summary>Gets the HTTP status code, when a response arrived.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Gets the delay Slack asked for with <c>Retry-After</c>, if it did.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Gets the scope Slack said is needed, for <c>missing_scope</c>.</summary>
    public string? Needed { get; }

    /// <summary>Gets the scopes Slack said the token has, for <c>missing_scope</c>.</summary>
    public string? Provided { get; }

    /// <summary>Gets a value indicating whether another attempt later may succeed (rate limits, Slack-side faults, timeouts, 5xx).</summary>
    public bool IsTransient => SlackErrorCodes.IsTransient(Error, StatusCode);
}
