using System.Globalization;
using System.Text.Json;

namespace HyOpps.SampleHost.Demo;

/// <summary>Reduces a step's output to its key fields for one line of narration (the full JSON is shown with --verbose).</summary>
internal static class OutputSummary
{
    private const int MaxFields = 4;
    private const int MaxValueLength = 40;

    // Shown by the narration in words already, or noise on a summary line.
    private static readonly HashSet<string> Omitted = new(StringComparer.Ordinal) { "skipped", "reason" };

    /// <summary>
    /// Returns up to four <c>key=value</c> pairs: identifiers (<c>*_id</c>) first, then short scalar values in output order;
    /// arrays, objects, long strings (URLs) and pairs that would make the text longer than <paramref name="maxLength"/>
    /// are left out. Empty when nothing qualifies.
    /// </summary>
    public static string Summarize(JsonElement? output, int maxLength = int.MaxValue)
    {
        if (output is not { ValueKind: JsonValueKind.Object } json)
        {
            return string.Empty;
        }

        var fields = json.EnumerateObject()
            .Where(p => !Omitted.Contains(p.Name))
            .Select(p => (p.Name, Value: Scalar(p.Value)))
            .Where(f => f.Value is not null)
            .OrderBy(f => f.Name.EndsWith("_id", StringComparison.Ordinal) ? 0 : 1)
            .Select(f => $"{f.Name}={f.Value}");
        var kept = new List<string>();
        var length = 0;
        foreach (var field in fields)
        {
            var added = field.Length + (kept.Count > 0 ? 2 : 0);
            if (length + added <= maxLength)
            {
                kept.Add(field);
                length += added;
                if (kept.Count == MaxFields)
                {
                    break;
                }
            }
        }

        return string.Join(", ", kept);
    }

    private static string? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String when value.GetString() is { Length: > 0 and <= MaxValueLength } text => text,
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    /// <summary>Formats a duration the way the narration shows it: milliseconds below a second, else seconds.</summary>
    public static string Duration(double? milliseconds) => milliseconds switch
    {
        null => "-",
        < 1000 => string.Create(CultureInfo.InvariantCulture, $"{milliseconds:0} ms"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{milliseconds / 1000:0.0} s"),
    };
}
