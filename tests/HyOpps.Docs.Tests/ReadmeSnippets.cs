using System.Text.RegularExpressions;

namespace HyOpps.Docs.Tests;

/// <summary>
/// Finds the C# blocks of a README and the source each one must equal. A block is preceded by
/// <c>&lt;!-- snippet: path --&gt;</c> (a whole file, relative to the repository root) or
/// <c>&lt;!-- snippet: path#name --&gt;</c>: every <c>#region name</c> of that file, nested regions' markers left out, each
/// part dedented, parts joined by a blank line (consecutive parts of using directives by none).
/// </summary>
internal static partial class ReadmeSnippets
{
    public sealed record Block(int Line, string? Marker, string Text, int Start, int Length);

    public static IReadOnlyList<Block> FindBlocks(string markdown)
    {
        var lines = Normalize(markdown).Split('\n');
        var blocks = new List<Block>();
        var offset = 0;
        var offsets = lines.Select(l => { var o = offset; offset += l.Length + 1; return o; }).ToArray();
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != "```csharp")
            {
                continue;
            }

            var end = i + 1;
            while (end < lines.Length && lines[end].Trim() != "```")
            {
                end++;
            }

            var previous = i - 1;
            while (previous >= 0 && lines[previous].Trim().Length == 0)
            {
                previous--;
            }

            var marker = previous >= 0 ? MarkerPattern().Match(lines[previous].Trim()) : Match.Empty;
            var start = i + 1 < lines.Length ? offsets[i + 1] : offset;
            var length = end < lines.Length ? offsets[end] - start : 0;
            blocks.Add(new Block(i + 1, marker.Success ? marker.Groups[1].Value : null, string.Join('\n', lines[(i + 1)..end]), start, length));
            i = end;
        }

        return blocks;
    }

    /// <summary>Returns the text a marker names, or throws naming what is missing.</summary>
    public static string Extract(string source, string? region)
    {
        var lines = Normalize(source).Split('\n');
        if (region is null)
        {
            return Dedent(lines).TrimEnd('\n');
        }

        var parts = new List<string[]>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (!IsRegion(lines[i], region))
            {
                continue;
            }

            var part = new List<string>();
            var depth = 1;
            for (i++; i < lines.Length; i++)
            {
                var trimmed = lines[i].TrimStart();
                if (trimmed.StartsWith("#region", StringComparison.Ordinal))
                {
                    depth++;
                    continue;
                }

                if (trimmed.StartsWith("#endregion", StringComparison.Ordinal) && --depth == 0)
                {
                    break;
                }

                if (!trimmed.StartsWith("#endregion", StringComparison.Ordinal))
                {
                    part.Add(lines[i]);
                }
            }

            parts.Add([.. part]);
        }

        if (parts.Count == 0)
        {
            throw new InvalidOperationException($"no '#region {region}'");
        }

        var text = string.Empty;
        string[]? last = null;
        foreach (var part in parts)
        {
            var dedented = Dedent(part).TrimEnd('\n');
            text += last is null ? dedented : (IsUsings(last) && IsUsings(part) ? "\n" : "\n\n") + dedented;
            last = part;
        }

        return text;
    }

    public static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static bool IsRegion(string line, string name)
    {
        var trimmed = line.Trim();
        return trimmed.StartsWith("#region ", StringComparison.Ordinal) && trimmed["#region ".Length..].Trim() == name;
    }

    private static bool IsUsings(string[] part)
        => part.All(l => l.Trim().Length == 0 || l.TrimStart().StartsWith("using ", StringComparison.Ordinal) && l.TrimEnd().EndsWith(';'));

    private static string Dedent(IEnumerable<string> lines)
    {
        var list = lines.Select(l => l.TrimEnd()).ToList();
        var indent = list.Where(l => l.Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        return string.Join('\n', list.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));
    }

    [GeneratedRegex(@"^<!--\s*snippet:\s*(\S+)\s*-->$")]
    private static partial Regex MarkerPattern();
}
