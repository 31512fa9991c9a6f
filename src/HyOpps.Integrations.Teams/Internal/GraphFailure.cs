using System.Globalization;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;

namespace HyOpps.Integrations.Teams.Internal;

/// <summary>What Microsoft Graph answered when a call failed: status, error code, message and any <c>Retry-After</c>.</summary>
internal sealed record GraphFailure(int StatusCode, string? Code, string? Message, TimeSpan? RetryAfter)
{
    /// <summary>Gets a value indicating whether the answer means "this user is not known here (yet)", as a new guest gets for a while.</summary>
    public bool IsUnknownReference => StatusCode == 404
        || (StatusCode == 400
            && (Code is "Request_ResourceNotFound" or "Directory_ObjectNotFound" or "ResourceNotFound"
                || Contains("valid reference") || Contains("does not exist") || Contains("not found") || Contains("could not be found")));

    public static GraphFailure From(ApiException exception, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var error = (exception as ODataError)?.Error;
        var message = error?.Message;
        if (string.IsNullOrWhiteSpace(message))
        {
            message = exception.Message;
        }

        return new GraphFailure(exception.ResponseStatusCode, error?.Code, Trim(message), ReadRetryAfter(exception.ResponseHeaders, timeProvider));
    }

    public string Describe() => Code is null ? $"HTTP {StatusCode}: {Message}" : $"HTTP {StatusCode} {Code}: {Message}";

    private bool Contains(string text) => Message?.Contains(text, StringComparison.OrdinalIgnoreCase) == true;

    private static string? Trim(string? message)
        => message is { Length: > 500 } ? message[..500] + "…" : message;

    private static TimeSpan? ReadRetryAfter(IDictionary<string, IEnumerable<string>>? headers, TimeProvider timeProvider)
    {
        if (headers is null)
        {
            return null;
        }

        foreach (var (name, values) in headers)
        {
            if (!string.Equals(name, "Retry-After", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var value = values.FirstOrDefault()?.Trim();
            if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return TimeSpan.FromSeconds(seconds);
            }

            if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
            {
                var delay = date - timeProvider.GetUtcNow();
                return delay > TimeSpan.Zero ? delay : TimeSpan.Zero;
            }
        }

        return null;
    }
}
