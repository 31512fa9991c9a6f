using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace HyOpps.Integrations.Metabase.Internal;

/// <summary>Builds the resilience pipeline of the Metabase HttpClient: bounded retries of transient failures honouring Retry-After, and a per-attempt timeout.</summary>
internal static class MetabaseResilience
{
    public const string PipelineName = "metabase";

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceHandlerContext context)
    {
        MetabaseOptions settings;
        try
        {
            settings = context.ServiceProvider.GetRequiredService<IOptionsMonitor<MetabaseOptions>>().CurrentValue;
        }
        catch (OptionsValidationException)
        {
            // The steps report invalid settings before any request; the pipeline must still build.
            settings = new MetabaseOptions();
        }
        catch (InvalidOperationException)
        {
            settings = new MetabaseOptions();
        }

        var maxRetryAfter = settings.MaxRetryAfter;
        if (settings.MaxRetryAttempts > 0)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = settings.MaxRetryAttempts,
                Delay = settings.RetryDelay,
                MaxDelay = maxRetryAfter > TimeSpan.FromSeconds(30) ? maxRetryAfter : TimeSpan.FromSeconds(30),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, maxRetryAfter)),
            });
        }

        pipeline.AddTimeout(new HttpTimeoutStrategyOptions { Timeout = settings.Timeout });
    }

    /// <summary>Retries what HttpClient resilience counts as transient, except a Retry-After longer than the client should wait: that goes to the workflow runtime.</summary>
    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, TimeSpan maxRetryAfter)
    {
        if (!HttpClientResiliencePredicates.IsTransient(outcome))
        {
            return false;
        }

        return outcome.Result is not { } response
            || response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
            || IntegrationHttp.GetRetryAfter(response, TimeProvider.System) is not { } wait
            || wait <= maxRetryAfter;
    }
}
