using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using HyOpps.Workflows;

namespace HyOpps.Dashboard.Internal;

/// <summary>Formats times, durations, statuses and JSON for display.</summary>
internal static class Format
{
    // Relaxed escaping keeps "<" readable in the JSON text; the page encodes the whole text for HTML afterwards.
    private static readonly JsonSerializerOptions IndentedJson = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Markup Time(DateTimeOffset? value)
    {
        if (value is not { } t)
        {
            return Markup.Empty;
        }

        var utc = t.ToUniversalTime();
        return Html.Of($"<time datetime=\"{utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)}\">{utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC</time>");
    }

    public static string Duration(TimeSpan? value)
    {
        if (value is not { } d)
        {
            return string.Empty;
        }

        if (d < TimeSpan.Zero)
        {
            d = TimeSpan.Zero;
        }

        return d.TotalSeconds switch
        {
            < 1 => $"{(int)d.TotalMilliseconds} ms",
            < 60 => d.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s",
            < 3600 => $"{(int)d.TotalMinutes} min {d.Seconds} s",
            < 86400 => $"{(int)d.TotalHours} h {d.Minutes} min",
            _ => $"{(int)d.TotalDays} d {d.Hours} h",
        };
    }

    public static string Json(JsonElement value)
        => value.ValueKind == JsonValueKind.Undefined ? string.Empty : JsonSerializer.Serialize(value, IndentedJson);

    public static string Status(ExecutionStatus status) => status switch
    {
        ExecutionStatus.WaitingForApproval => "Waiting for approval",
        _ => status.ToString(),
    };

    public static string Status(StepStatus status) => status switch
    {
        StepStatus.WaitingForApproval => "Waiting for approval",
        _ => status.ToString(),
    };

    public static string Outcome(AttemptOutcome outcome) => outcome switch
    {
        AttemptOutcome.WaitingForApproval => "Waiting for approval",
        _ => outcome.ToString(),
    };

    public static string CssClass(string status) => "status-" + status.ToLowerInvariant();

    public static string Truncate(string? value, int length)
        => value is null || value.Length <= length ? value ?? string.Empty : string.Concat(value.AsSpan(0, length - 1), "…");
}
