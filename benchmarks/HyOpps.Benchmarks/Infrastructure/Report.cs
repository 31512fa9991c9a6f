using System.Globalization;
using System.Text;

namespace HyOpps.Benchmarks.Infrastructure;

/// <summary>One figure: a measured value, and the same figure of its baseline measured in the same run.</summary>
internal sealed record Figure(string Benchmark, string Setting, string Metric, string Unit, double Value, string Baseline, double? BaselineValue, bool HigherIsBetter = true)
{
    /// <summary>Gets the value divided by the baseline's value.</summary>
    public double? Ratio => BaselineValue is { } b && b != 0 && !double.IsNaN(b) ? Value / b : null;
}

/// <summary>Collects figures and prints them as a markdown table.</summary>
internal sealed class Report
{
    private readonly List<Figure> _figures = [];
    private readonly List<string> _notes = [];

    public IReadOnlyList<Figure> Figures => _figures;

    public void Add(Figure figure)
    {
        _figures.Add(figure);
        Console.Error.WriteLine($"  {figure.Benchmark} | {figure.Setting} | {figure.Metric}: {Format(figure.Value)} {figure.Unit}"
            + (figure.BaselineValue is { } b ? $" (baseline {figure.Baseline}: {Format(b)}; ratio {FormatRatio(figure.Ratio)})" : string.Empty));
    }

    public void Note(string note)
    {
        _notes.Add(note);
        Console.Error.WriteLine("  note: " + note);
    }

    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        sb.AppendLine("| benchmark | setting | metric | HyOpps | baseline | baseline value | ratio |");
        sb.AppendLine("| --- | --- | --- | ---: | --- | ---: | ---: |");
        foreach (var f in _figures)
        {
            sb.Append(CultureInfo.InvariantCulture, $"| {f.Benchmark} | {f.Setting} | {f.Metric} | {Format(f.Value)} {f.Unit} | {f.Baseline} | ");
            sb.Append(f.BaselineValue is { } b ? $"{Format(b)} {f.Unit}" : "-");
            sb.AppendLine(CultureInfo.InvariantCulture, $" | {FormatRatio(f.Ratio)} |");
        }

        if (_notes.Count > 0)
        {
            sb.AppendLine();
            foreach (var note in _notes)
            {
                sb.AppendLine("- " + note);
            }
        }

        return sb.ToString();
    }

    public static string Format(double value) => value switch
    {
        double.NaN => "n/a",
        >= 1000 => value.ToString("N0", CultureInfo.InvariantCulture),
        >= 100 => value.ToString("F0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("F1", CultureInfo.InvariantCulture),
        _ => value.ToString("G3", CultureInfo.InvariantCulture),
    };

    private static string FormatRatio(double? ratio) => ratio is { } r ? (r >= 10 ? r.ToString("F0", CultureInfo.InvariantCulture) : r.ToString("F2", CultureInfo.InvariantCulture)) + "x" : "-";
}
