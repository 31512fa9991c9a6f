using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace HyOpps.SampleHost.Security;

/// <summary>
/// The sign-in rate limits: per client address through ASP.NET Core's rate limiting middleware (policy <see cref="PolicyName"/>),
/// per user name through a partitioned limiter the sign-in handler asks, since the name is only known once the form is read.
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    /// <summary>The rate limiting policy of POST /account/login.</summary>
    public const string PolicyName = "sign-in";

    private readonly PartitionedRateLimiter<string> _perAccount;

    public SignInThrottle(SignInLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _perAccount = PartitionedRateLimiter.Create<string, string>(name => RateLimitPartition.GetFixedWindowLimiter(name, _ => Window(limits.PermitsPerAccount, limits.Window)));
    }

    /// <summary>Takes one attempt for a user name (compared case-insensitively, like sign-in); the lease says whether it was allowed.</summary>
    public RateLimitLease AttemptFor(string userName) => _perAccount.AttemptAcquire(userName.Trim().ToUpperInvariant());

    /// <summary>Sets Retry-After from a refused lease (or a lockout's end), in whole seconds, at least one.</summary>
    public static void SetRetryAfter(HttpResponse response, TimeSpan wait)
        => response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    /// <summary>Adds the per-address policy to the rate limiting middleware.</summary>
    public static void AddPolicy(RateLimiterOptions options, SignInLimits limits)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.OnRejected = (context, cancellationToken) =>
        {
            SetRetryAfter(context.HttpContext.Response, context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : limits.Window);
            context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
            return new ValueTask(context.HttpContext.Response.WriteAsync("Too many sign-in attempts from this address: wait and try again.", cancellationToken));
        };
        options.AddPolicy(PolicyName, http => RateLimitPartition.GetFixedWindowLimiter(
            http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => Window(limits.PermitsPerAddress, limits.Window)));
    }

    public void Dispose() => _perAccount.Dispose();

    private static FixedWindowRateLimiterOptions Window(int permits, TimeSpan window)
        => new() { PermitLimit = permits, Window = window, QueueLimit = 0, AutoReplenishment = true };
}
