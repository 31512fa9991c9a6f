namespace HyOpps.Testing.Simulation;

/// <summary>A fault a simulator answers with instead of the real behaviour.</summary>
public sealed record SimulatedFault
{
    private SimulatedFault()
    {
    }

    /// <summary>Gets the status code to answer with, unless the fault hangs.</summary>
    public int StatusCode { get; private init; }

    /// <summary>Gets the body to answer with.</summary>
    public string? Body { get; private init; }

    /// <summary>Gets the content type of <see cref="Body"/>.</summary>
    public string ContentType { get; private init; } = "text/plain";

    /// <summary>Gets the <c>Retry-After</c> header value to send.</summary>
    public TimeSpan? RetryAfter { get; private init; }

    /// <summary>Gets a value indicating whether the request hangs until the client gives up or the simulator stops.</summary>
    public bool Hangs { get; private init; }

    /// <summary>Gets the delay before the request is handled as usual; zero unless the fault is <see cref="Latency"/>.</summary>
    public TimeSpan Delay { get; private init; }

    /// <summary>Gets the extra response headers, for example a service's rate-limit headers.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; private init; } = new Dictionary<string, string>();

    /// <summary>Creates a fault that answers with a status code and optional body.</summary>
    /// <param name="statusCode">The status code.</param>
    /// <param name="body">The body.</param>
    /// <param name="contentType">The body's content type.</param>
    /// <param name="retryAfter">The <c>Retry-After</c> header value.</param>
    /// <returns>The fault.</returns>
    public static SimulatedFault Status(int statusCode, string? body = null, string contentType = "text/plain", TimeSpan? retryAfter = null)
        => new() { StatusCode = statusCode, Body = body, ContentType = contentType, RetryAfter = retryAfter };

    /// <summary>Creates a fault that answers 429 with a <c>Retry-After</c> header.</summary>
    /// <param name="retryAfter">The delay the client is asked to wait.</param>
    /// <param name="body">The body, service-specific.</param>
    /// <param name="contentType">The body's content type.</param>
    /// <returns>The fault.</returns>
    public static SimulatedFault TooManyRequests(TimeSpan retryAfter, string? body = null, string contentType = "text/plain")
        => Status(429, body, contentType, retryAfter);

    /// <summary>Creates a fault whose request never answers until the client times out.</summary>
    /// <returns>The fault.</returns>
    public static SimulatedFault Hang() => new() { Hangs = true };

    /// <summary>Creates a fault that waits <paramref name="delay"/> and then lets the request be handled as usual.</summary>
    /// <param name="delay">The added latency.</param>
    /// <returns>The fault.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    public static SimulatedFault Latency(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return new() { Delay = delay };
    }

    /// <summary>Returns a copy of this fault that also sends <paramref name="headers"/>.</summary>
    /// <param name="headers">The headers to add.</param>
    /// <returns>The fault.</returns>
    public SimulatedFault WithHeaders(IReadOnlyDictionary<string, string> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return this with { Headers = new Dictionary<string, string>(headers, StringComparer.OrdinalIgnoreCase) };
    }
}
