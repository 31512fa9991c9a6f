using System.Text;

namespace HyOpps.SampleHost.Demo;

/// <summary>Word-wraps the demo's lines so none is wider than a terminal of <see cref="Width"/> columns.</summary>
internal static class ConsoleText
{
    /// <summary>The widest line the demo prints (full JSON under --verbose excepted).</summary>
    public const int Width = 100;

    /// <summary>
    /// Wraps <paramref name="text"/> after <paramref name="prefix"/>; continuation lines are indented by
    /// <paramref name="hangingIndent"/> (default: the prefix's width). A word longer than the room left (a URL) is cut,
    /// so the width always holds.
    /// </summary>
    public static IReadOnlyList<string> Wrap(string prefix, string text, int? hangingIndent = null, int width = Width)
    {
        var indent = new string(' ', Math.Min(hangingIndent ?? prefix.Length, width / 2));
        var lines = new List<string>();
        var line = new StringBuilder(prefix);
        var start = prefix.Length;
        foreach (var word in text.Split([' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            var rest = word;
            while (rest.Length > 0)
            {
                var separator = line.Length > start ? 1 : 0;
                if (line.Length + separator + rest.Length <= width)
                {
                    line.Append(separator == 1 ? " " : string.Empty).Append(rest);
                    break;
                }

                if (line.Length <= start)
                {
                    var room = Math.Max(1, width - line.Length);
                    line.Append(rest.AsSpan(0, room));
                    rest = rest[room..];
                }

                lines.Add(line.ToString().TrimEnd());
                line.Clear().Append(indent);
                start = indent.Length;
            }
        }

        if (line.Length > start || lines.Count == 0)
        {
            lines.Add(line.ToString().TrimEnd());
        }

        return lines;
    }
}
