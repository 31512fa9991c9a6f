using System.Globalization;

namespace HyOpps.Benchmarks.Infrastructure;

/// <summary>Command-line options: <c>--name value</c> pairs after the sub-command.</summary>
internal sealed class BenchArgs
{
    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

    public BenchArgs(IEnumerable<string> args)
    {
        string? name = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (name is not null)
                {
                    _values[name] = "true";
                }

                name = arg[2..];
            }
            else if (name is not null)
            {
                _values[name] = arg;
                name = null;
            }
            else
            {
                throw new ArgumentException($"Unexpected argument '{arg}'.");
            }
        }

        if (name is not null)
        {
            _values[name] = "true";
        }
    }

    public IReadOnlyCollection<string> Names => _values.Keys;

    public bool Flag(string name) => _values.TryGetValue(name, out var v) && v != "false";

    public string String(string name, string fallback) => _values.GetValueOrDefault(name, fallback);

    public int Int(string name, int fallback)
        => _values.TryGetValue(name, out var v) ? int.Parse(v.Replace("_", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture) : fallback;

    public int[] Ints(string name, params int[] fallback)
        => _values.TryGetValue(name, out var v)
            ? [.. v.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s.Replace("_", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture))]
            : fallback;

    public string[] Strings(string name, params string[] fallback)
        => _values.TryGetValue(name, out var v) ? v.Split(',', StringSplitOptions.RemoveEmptyEntries) : fallback;
}
