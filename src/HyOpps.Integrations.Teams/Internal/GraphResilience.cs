using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace HyOpps.Integrations.Teams.Internal;

/// <summary>The Graph HTTP pipeline: bounded retries of 429/502/503/504 honouring <c>Retry-After</c>, and a per-attempt timeout.</summary>
internal static class GraphResilience
{
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceHandlerContext context)
    {
        var options = context.ServiceProvider.GetRequiredService<IOptions<TeamsOptions>>().Value;
        var timeProvider = context.ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System;
        if (options.MaxRetryAttempts > 0)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromSeconds(1),
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, options.MaxRetryAfter, timeProvider)),
            });
        }

        pipeline.AddTimeout(options.Timeout);
    }

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, TimeSpan maxRetryAfter, TimeProvider timeProvider)
    {
        if (outcome.Exception is not null)
        {
            return outcome.Exception is HttpRequestException or Polly.Timeout.TimeoutRejectedException;
        }

        var response = outcome.Result;
        if (response is null || response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout))
        {
            return false;
        }

        // A long Retry-After is not waited here: the step fails as transient with it, and the workflow runtime waits.
        var header = response.Headers.RetryAfter;
        var retryAfter = header?.Delta ?? (header?.Date is { } date ? date - timeProvider.GetUtcNow() : null);
        return retryAfter is null || retryAfter <= maxRetryAfter;
    }
}
