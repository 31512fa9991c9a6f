using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Retry;

namespace HyOpps.Integrations.Slack.Internal;

/// <summary>The Slack HTTP pipeline: bounded retries of transient failures honouring <c>Retry-After</c>, then a per-attempt timeout.</summary>
internal static class SlackHttpResilience
{
    public const string PipelineName = "slack";

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, SlackOptions options, TimeProvider timeProvider)
    {
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = false,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args, options, timeProvider)),
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } response ? IntegrationHttp.GetRetryAfter(response, timeProvider) : null),
            });
        }

        builder.AddTimeout(new HttpTimeoutStrategyOptions { Timeout = options.Timeout });
    }

    internal static bool ShouldRetry(RetryPredicateArguments<HttpResponseMessage> args, SlackOptions options, TimeProvider timeProvider)
    {
        // An invitation or a message that may have gone out is not sent again on a 5xx or timeout; a 429 was not processed, so it is.
        var path = args.Context.GetRequestMessage()?.RequestUri?.AbsolutePath;
        var sendsEmail = path is not null
            && (path.EndsWith("/admin.users.invite", StringComparison.Ordinal) || path.EndsWith("/chat.postMessage", StringComparison.Ordinal));

        if (args.Outcome.Result is { } response)
        {
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                // A long Retry-After is better waited durably by the workflow runtime than in this request.
                return IntegrationHttp.GetRetryAfter(response, timeProvider) is not { } wait || wait <= options.MaxRetryAfter;
            }

            return !sendsEmail && HttpClientResiliencePredicates.IsTransient(args.Outcome);
        }

        return !sendsEmail && HttpClientResiliencePredicates.IsTransient(args.Outcome);
    }
}
