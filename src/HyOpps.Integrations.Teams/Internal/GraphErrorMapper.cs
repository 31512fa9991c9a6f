using System.Net;
using Azure.Identity;
using Microsoft.Identity.Client;
using Microsoft.Kiota.Abstractions;
using Polly.Timeout;

namespace HyOpps.Integrations.Teams.Internal;

/// <summary>Classifies failures of Graph and token calls into transient or permanent step failures with actionable messages.</summary>
internal static class GraphErrorMapper
{
    /// <summary>Maps a failure of <paramref name="operation"/>; returns <see langword="null"/> for exceptions that are not ours to classify.</summary>
    public static StepException? TryMap(Exception exception, TeamsOptions options, string operation, string permission, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        switch (exception)
        {
            case StepException step:
                return step;
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                return null;
            case ApiException api:
                return FromGraph(GraphFailure.From(api, timeProvider), options, operation, permission, api);
            case AuthenticationFailedException auth:
                return FromAuthentication(auth, options);
            case HttpRequestException http:
                return StepException.Transient(
                    $"Could not reach Microsoft Graph at {options.GraphBaseUrl} while {operation}: {http.Message}", StepErrorTypes.Transient, null, http);
            case TimeoutRejectedException or TaskCanceledException or OperationCanceledException:
                return StepException.Transient(
                    $"Microsoft Graph did not answer within {options.Key("Timeout")} ({options.Timeout}) while {operation}.", StepErrorTypes.Timeout, null, exception);
            default:
                return null;
        }
    }

    public static StepException FromGraph(GraphFailure failure, TeamsOptions options, string operation, string permission, Exception? cause)
    {
        // The step failure carries the service's answer as a TeamsApiException, as every integration's does.
        var inner = new TeamsApiException(
            $"Microsoft Graph answered {failure.Describe()} while {operation}.", operation, (HttpStatusCode)failure.StatusCode,
            failure.Code, failure.Message, failure.RetryAfter, cause);
        return failure.StatusCode switch
        {
            401 => StepException.Permanent(TeamsMessages.Unauthorized(options, operation, failure), StepErrorTypes.Unauthorized, inner),
            403 => StepException.Permanent(TeamsMessages.PermissionDenied(options, operation, permission, failure), StepErrorTypes.PermissionDenied, inner),
            429 => StepException.Transient(
                $"Microsoft Graph throttled {operation} ({failure.Describe()}); retry after {failure.RetryAfter?.ToString() ?? "a backoff"}.",
                StepErrorTypes.RateLimited, failure.RetryAfter, inner),
            408 or >= 500 => StepException.Transient(
                $"Microsoft Graph failed {operation} ({failure.Describe()}).", StepErrorTypes.Transient, failure.RetryAfter, inner),
            404 => StepException.Permanent($"Microsoft Graph found nothing for {operation} ({failure.Describe()}).", StepErrorTypes.NotFound, inner),
            _ => StepException.Permanent($"Microsoft Graph refused {operation} ({failure.Describe()}).", StepErrorTypes.Permanent, inner),
        };
    }

    private static StepException FromAuthentication(AuthenticationFailedException exception, TeamsOptions options)
    {
        if (exception.InnerException is MsalServiceException msal)
        {
            var detail = FirstLine(msal.Message);
            if (msal.StatusCode is 429 or >= 500 || msal.IsRetryable)
            {
                return StepException.Transient(
                    $"The Entra ID token endpoint at {options.AuthorityHost} is unavailable (HTTP {msal.StatusCode} {msal.ErrorCode}: {detail}).",
                    msal.StatusCode == 429 ? StepErrorTypes.RateLimited : StepErrorTypes.Transient, null, exception);
            }

            return StepException.Permanent(
                $"Entra ID refused the client credentials of app '{options.ClientId}' in tenant '{options.TenantId}' "
                + $"(HTTP {msal.StatusCode} {msal.ErrorCode}: {detail}): check {options.Key("ClientSecret")} (it may have expired), {options.Key("ClientId")} and {options.Key("TenantId")}.",
                StepErrorTypes.Unauthorized, exception);
        }

        return StepException.Transient(
            $"Could not get a token from the Entra ID authority {options.AuthorityHost}: {FirstLine(exception.InnerException?.Message ?? exception.Message)}",
            StepErrorTypes.Transient, null, exception);
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        var line = end < 0 ? message : message[..end];
        var trace = line.IndexOf(" Trace ID:", StringComparison.Ordinal);
        if (trace > 0)
        {
            line = line[..trace];
        }

        return line.Length > 300 ? line[..300] + "…" : line;
    }
}
