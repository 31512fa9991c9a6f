namespace HyOpps.Benchmarks.Infrastructure;

internal static class Stats
{
    /// <summary>Gets the nearest-rank percentile (0..100) of the values.</summary>
    public static double Percentile(IReadOnlyList<double> values, double percentile)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static double Median(IReadOnlyList<double> values) => Percentile(values, 50);

    public static double P99(IReadOnlyList<double> values) => Percentile(values, 99);
}
