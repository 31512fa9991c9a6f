using System.Collections.Concurrent;

namespace HyOpps.Dashboard.Tests;

/// <summary>Faults a test switches on and off by key; a step named in the input fails while its key is set.</summary>
internal sealed class Faults
{
    private readonly ConcurrentDictionary<string, string> _active = new(StringComparer.Ordinal);

    public void Set(string key, string message) => _active[key] = message;

    public void Clear(string key) => _active.TryRemove(key, out _);

    public string? Get(string? key) => key is not null && _active.TryGetValue(key, out var message) ? message : null;
}
