using Microsoft.Extensions.DependencyInjection;

namespace HyOpps.Integrations.Shared;

/// <summary>The HTTP mechanics every HTTP integration shares: named clients without header loggers, and <c>Retry-After</c>.</summary>
/// <remarks>Shared source (src/Shared/Integrations/Http), compiled into each HTTP integration; not public API.</remarks>
internal static class IntegrationHttp
{
    /// <summary>Adds a named client whose resilience pipeline owns timeouts and whose factory loggers are removed.</summary>
    /// <remarks>
    /// The factory's default loggers redact header values in the message but hand the raw values (the Authorization header,
    /// API keys) to structured sinks in their Trace state; each integration logs its calls itself, without secrets.
    /// Credentials go on each request (a delegating handler), never into <see cref="HttpClient.DefaultRequestHeaders"/>.
    /// </remarks>
    public static IHttpClientBuilder AddClient(IServiceCollection services, string name, Action<IServiceProvider, HttpClient>? configure = null)
        => services.AddHttpClient(name, (provider, client) =>
            {
                client.Timeout = Timeout.InfiniteTimeSpan;
                configure?.Invoke(provider, client);
            })
            .RemoveAllLoggers();

    /// <summary>Reads the <c>Retry-After</c> header (seconds or an HTTP date), never negative; <see langword="null"/> without one.</summary>
    public static TimeSpan? GetRetryAfter(HttpResponseMessage response, TimeProvider timeProvider)
    {
        var header = response.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - timeProvider.GetUtcNow() : null);
        return wait is { } w && w < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }
}
