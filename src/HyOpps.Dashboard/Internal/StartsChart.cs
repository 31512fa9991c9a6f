using System.Globalization;
using HyOpps.Workflows;

namespace HyOpps.Dashboard.Internal;

/// <summary>An inline SVG bar chart of starts per hour: no script, each bar titled, its count written above it, and the numbers as a table too.</summary>
internal static class StartsChart
{
    private const int Width = 720;
    private const int Height = 200;
    private const int Top = 18;
    private const int Bottom = 22;

    public static Markup Render(IReadOnlyList<HourlyCount> hours)
    {
        var html = new HtmlBuilder();
        var total = hours.Sum(h => h.Count);
        var peak = hours.Count == 0 ? null : hours.MaxBy(h => h.Count);
        var summary = peak is null || peak.Count == 0
            ? "No execution started in this window."
            : $"{total} started in all; the busiest hour, {Hour(peak.HourStart)} UTC, had {peak.Count}.";
        html.Append($"<figure class=\"hd-chart\">\n<svg role=\"img\" aria-labelledby=\"hd-chart-title hd-chart-desc\" viewBox=\"0 0 {Width} {Height}\" data-testid=\"starts-chart\" data-total=\"{total}\">\n");
        html.Append($"<title id=\"hd-chart-title\">Executions started per hour</title>\n<desc id=\"hd-chart-desc\">{summary}</desc>\n");
        html.Append($"<line class=\"hd-chart-axis\" x1=\"0\" y1=\"{Height - Bottom}\" x2=\"{Width}\" y2=\"{Height - Bottom}\"></line>\n");
        var max = Math.Max(1, peak?.Count ?? 1);
        var slot = hours.Count == 0 ? Width : Width / hours.Count;
        for (var i = 0; i < hours.Count; i++)
        {
            var h = hours[i];
            var barHeight = h.Count == 0 ? 0 : Math.Max(2, (int)Math.Round((double)h.Count / max * (Height - Top - Bottom)));
            var x = (i * slot) + 3;
            var y = Height - Bottom - barHeight;
            html.Append($"<g data-testid=\"chart-bar\" data-hour=\"{Hour(h.HourStart)}\" data-count=\"{h.Count}\"><title>{Hour(h.HourStart)} to {Hour(h.HourStart.AddHours(1))} UTC: {h.Count} started</title>");
            html.Append($"<rect x=\"{x}\" y=\"{y}\" width=\"{slot - 6}\" height=\"{barHeight}\"></rect>");
            if (h.Count > 0)
            {
                html.Append($"<text class=\"hd-chart-count\" x=\"{x + ((slot - 6) / 2)}\" y=\"{y - 4}\" text-anchor=\"middle\">{h.Count}</text>");
            }

            if (i % 3 == 0)
            {
                html.Append($"<text class=\"hd-chart-hour\" x=\"{x}\" y=\"{Height - 6}\">{Hour(h.HourStart)}</text>");
            }

            html.Append($"</g>\n");
        }

        html.Append($"</svg>\n<figcaption class=\"hd-muted\">{summary} Hours in UTC.</figcaption>\n");
        html.Append($"<details><summary>The numbers as a table</summary>\n<table class=\"hd-table\" data-testid=\"starts-table\"><thead><tr><th scope=\"col\">Hour (UTC)</th><th scope=\"col\">Started</th></tr></thead><tbody>\n");
        foreach (var h in hours)
        {
            html.Append($"<tr><td>{h.HourStart.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}</td><td>{h.Count}</td></tr>\n");
        }

        html.Append($"</tbody></table>\n</details>\n</figure>\n");
        return html.ToMarkup();
    }

    private static string Hour(DateTimeOffset t) => t.ToUniversalTime().ToString("HH:mm", CultureInfo.InvariantCulture);
}
