using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace HyOpps.Testing.Simulation;

/// <summary>Queues faults that a simulator answers the next matching requests with.</summary>
public sealed class FaultInjector
{
    private readonly Lock _lock = new();
    private readonly List<Entry> _entries = [];
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Answers the next <paramref name="times"/> matching requests with <paramref name="fault"/>.</summary>
    /// <param name="fault">The fault.</param>
    /// <param name="times">How many requests it applies to.</param>
    /// <param name="method">Only requests with this HTTP method, or any when <see langword="null"/>.</param>
    /// <param name="pathPrefix">Only requests whose path starts with this, or any when <see langword="null"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="times"/> is less than 1.</exception>
    public void Add(SimulatedFault fault, int times = 1, string? method = null, string? pathPrefix = null)
    {
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentOutOfRangeException.ThrowIfLessThan(times, 1);
        lock (_lock)
        {
            _entries.Add(new Entry(fault, times, method, pathPrefix));
        }
    }

    /// <summary>Removes every queued fault.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _entries.Clear();
        }
    }

    /// <summary>Gets how many injected faults are still queued.</summary>
    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return _entries.Sum(e => e.Remaining);
            }
        }
    }

    internal void ReleaseHangs() => _stopping.Cancel();

    internal async Task<bool> TryApplyAsync(HttpContext context)
    {
        SimulatedFault? fault = null;
        lock (_lock)
        {
            var entry = _entries.FirstOrDefault(e => e.Matches(context.Request));
            if (entry is not null)
            {
                fault = entry.Fault;
                if (--entry.Remaining == 0)
                {
                    _entries.Remove(entry);
                }
            }
        }

        if (fault is null)
        {
            return false;
        }

        if (fault.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(fault.Delay, context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return true;
            }

            return false;
        }

        if (fault.Hangs)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            try
            {
                await Task.Delay(Timeout.Infinite, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            context.Abort();
            return true;
        }

        context.Response.StatusCode = fault.StatusCode;
        foreach (var (name, value) in fault.Headers)
        {
            context.Response.Headers[name] = value;
        }

        if (fault.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        if (fault.Body is not null)
        {
            context.Response.ContentType = fault.ContentType;
            await context.Response.WriteAsync(fault.Body).ConfigureAwait(false);
        }

        return true;
    }

    private sealed class Entry(SimulatedFault fault, int times, string? method, string? pathPrefix)
    {
        public SimulatedFault Fault { get; } = fault;

        public int Remaining { get; set; } = times;

        public bool Matches(HttpRequest request)
            => (method is null || string.Equals(method, request.Method, StringComparison.OrdinalIgnoreCase))
            && (pathPrefix is null || request.Path.StartsWithSegments(pathPrefix, StringComparison.OrdinalIgnoreCase)
                || request.Path.Value?.StartsWith(pathPrefix, StringComparison.OrdinalIgnoreCase) == true);
    }
}
