using HyOpps.Workflows;

namespace HyOpps.Dashboard.Internal;

/// <summary>Applies the caller's scope labels to queries and executions.</summary>
internal static class DashboardScope
{
    /// <summary>Whether an execution carries every scope label.</summary>
    public static bool Contains(IReadOnlyDictionary<string, string>? scope, IReadOnlyDictionary<string, string> labels)
    {
        if (scope is null)
        {
            return true;
        }

        foreach (var (key, value) in scope)
        {
            if (!labels.TryGetValue(key, out var actual) || !string.Equals(actual, value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Combines the filter's labels with the scope; <see langword="null"/> when they contradict, so nothing can match.</summary>
    public static Dictionary<string, string>? Narrow(IReadOnlyDictionary<string, string>? scope, IReadOnlyDictionary<string, string> filter)
    {
        var labels = new Dictionary<string, string>(filter, StringComparer.Ordinal);
        if (scope is null)
        {
            return labels;
        }

        foreach (var (key, value) in scope)
        {
            if (labels.TryGetValue(key, out var wanted) && !string.Equals(wanted, value, StringComparison.Ordinal))
            {
                return null;
            }

            labels[key] = value;
        }

        return labels;
    }

    /// <summary>Whether a label is shown, and under which name.</summary>
    public static string? DisplayName(HyOppsDashboardOptions options, string key)
        => options.LabelDisplay is null ? key : options.LabelDisplay(key);
}
