using System.Net;

namespace HyOpps.Integrations.Atlassian;

/// <summary>An Atlassian API call failed: an error status, a network failure or a timeout.</summary>
public sealed class AtlassianApiException : HyOppsException
{
    /// <summary>Initializes a new instance of the <see cref="AtlassianApiException"/> class.</summary>
    public AtlassianApiException()
        : this("The Atlassian API call failed.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AtlassianApiException"/> class.</summary>
    /// <param name="message">The message.</param>
    public AtlassianApiException(string message)
        : this(message, null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AtlassianApiException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public AtlassianApiException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the HTTP status code, or <see langword="null"/> when no response arrived (network failure, timeout).</summary>
    public HttpStatusCode? StatusCode { get; init; }

    /// <summary>Gets the service's error messages (Jira <c>errorMessages</c>, Admin API <c>errors[].detail</c>, or a plain-text body).</summary>
    public IReadOnlyList<string> ErrorMessages { get; init; } = [];

    /// <summary>Gets the service's field errors (Jira <c>errors</c>), keyed by field.</summary>
    public IReadOnlyDictionary<string, string> Errors { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the delay the service asked for in <c>Retry-After</c>, if any.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Gets a value indicating whether the call went to the Organization Admin API rather than the site.</summary>
    public bool IsAdminApi { get; init; }

    /// <summary>Gets the operation that failed, for example <c>POST /rest/api/3/group/user</c>.</summary>
    public string? Operation { get; init; }
}
