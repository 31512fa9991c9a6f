using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace HyOpps.Integrations.Atlassian.Internal;

/// <summary>The named HTTP clients of the site and Organization Admin APIs, with their resilience pipelines.</summary>
internal static class AtlassianHttp
{
    public const string SiteClientName = "HyOpps.Atlassian.Site";
    public const string AdminClientName = "HyOpps.Atlassian.Admin";

    /// <summary>Marks a request that must not be re-sent after an ambiguous failure (it may have been processed).</summary>
    public static readonly HttpRequestOptionsKey<bool> NotIdempotent = new("HyOpps.Atlassian.NotIdempotent");

    public static void AddClients(IServiceCollection services)
    {
        var siteClient = IntegrationHttp.AddClient(services, SiteClientName, static (sp, http) =>
        {
            var options = sp.GetRequiredService<IOptionsMonitor<AtlassianOptions>>().CurrentValue;
            if (options.SiteUrl is { } site)
            {
                http.BaseAddress = WithTrailingSlash(site);
            }

            Common(http);
        });

        siteClient.AddResilienceHandler("atlassian-site", Configure);
        siteClient.AddHttpMessageHandler(static sp => new AtlassianAuthenticationHandler(sp.GetRequiredService<IOptionsMonitor<AtlassianOptions>>(), admin: false));

        var adminClient = IntegrationHttp.AddClient(services, AdminClientName, static (sp, http) =>
        {
            var options = sp.GetRequiredService<IOptionsMonitor<AtlassianOptions>>().CurrentValue;
            http.BaseAddress = WithTrailingSlash(options.AdminApiBaseUrl);
            Common(http);
        });
        adminClient.AddResilienceHandler("atlassian-admin", Configure);
        adminClient.AddHttpMessageHandler(static sp => new AtlassianAuthenticationHandler(sp.GetRequiredService<IOptionsMonitor<AtlassianOptions>>(), admin: true));
    }

    public static Uri WithTrailingSlash(Uri uri)
        => uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");

    private static void Common(HttpClient http)
    {
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("HyOpps.Integrations.Atlassian", "1.0"));
    }

    private static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, ResilienceHandlerContext context)
    {
        var options = context.ServiceProvider.GetRequiredService<IOptionsMonitor<AtlassianOptions>>().CurrentValue;
        var time = context.ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System;
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.MaxRetryAfter,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context, options, time)),
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Result is { } response ? IntegrationHttp.GetRetryAfter(response, time) : null),
            });
        }

        builder.AddTimeout(options.Timeout);
    }

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, AtlassianOptions options, TimeProvider time)
    {
        var idempotent = context.GetRequestMessage() is not { } request
            || !request.Options.TryGetValue(NotIdempotent, out var notIdempotent)
            || !notIdempotent;
        if (outcome.Exception is not null)
        {
            // The request may have reached the service; only re-send what is safe to repeat.
            return idempotent && outcome.Exception is HttpRequestException or TimeoutRejectedException;
        }

        if (outcome.Result is not { } response)
        {
            return false;
        }

        var status = response.StatusCode;
        if (status is HttpStatusCode.TooManyRequests || (status is HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter is not null))
        {
            // A 429 (or a 503 with Retry-After) was not processed, so any request may be re-sent, but only
            // after a short wait: longer ones go back to the workflow runtime, which waits durably.
            var wait = IntegrationHttp.GetRetryAfter(response, time);
            return wait is null || wait <= options.MaxRetryAfter;
        }

        return idempotent && (status is HttpStatusCode.RequestTimeout || (int)status >= 500);
    }
}
