using System.Diagnostics;

namespace HyOpps.SampleHost.Starts;

/// <summary>
/// Kills the process at a named point of adding or removing a user when <c>HyOpps:Testing:CrashAt</c> names it: how the crash tests
/// stop the host at each write boundary of a request. Honoured only in sandbox mode; with real services start-up refuses the setting.
/// </summary>
public sealed class CrashHook
{
    /// <summary>The configuration key naming the point.</summary>
    public const string ConfigurationKey = "HyOpps:Testing:CrashAt";

    /// <summary>POST /api/users: the user and the pending start are committed; the execution is not started.</summary>
    public const string AddAfterRecord = "add-after-record";

    /// <summary>POST /api/users: the execution exists; the pending start is not yet linked to the user.</summary>
    public const string AddAfterStart = "add-after-start";

    /// <summary>POST /api/users: everything is written; the answer is not sent.</summary>
    public const string AddAfterLink = "add-after-link";

    /// <summary>DELETE /api/users/{id}: the status offboarding and the pending start are committed; nothing is started.</summary>
    public const string RemoveAfterRecord = "remove-after-record";

    /// <summary>DELETE /api/users/{id}: the removal exists; the pending start is not yet linked to the user.</summary>
    public const string RemoveAfterStart = "remove-after-start";

    /// <summary>DELETE /api/users/{id}: everything is written; the answer is not sent.</summary>
    public const string RemoveAfterLink = "remove-after-link";

    /// <summary>Every point, in the order a request passes them.</summary>
    public static readonly IReadOnlyList<string> Points = [AddAfterRecord, AddAfterStart, AddAfterLink, RemoveAfterRecord, RemoveAfterStart, RemoveAfterLink];

    private readonly string? _point;

    private CrashHook(string? point) => _point = point;

    /// <summary>Reads the setting; throws when it is set outside sandbox mode or names no point.</summary>
    /// <exception cref="InvalidOperationException">The setting is set with real services, or names an unknown point.</exception>
    public static CrashHook From(IConfiguration configuration, SampleHostSettings settings)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(settings);
        var point = configuration[ConfigurationKey];
        if (string.IsNullOrWhiteSpace(point))
        {
            return new CrashHook(null);
        }

        if (!settings.Sandbox)
        {
            throw new InvalidOperationException($"{ConfigurationKey} is a test hook that kills the process; it is honoured only in sandbox mode. Remove it.");
        }

        return Points.Contains(point)
            ? new CrashHook(point)
            : throw new InvalidOperationException($"{ConfigurationKey} must be one of {string.Join(", ", Points)} (was '{point}').");
    }

    /// <summary>Kills the process, without any clean-up, when this is the configured point.</summary>
    public void Reached(string point)
    {
        if (!string.Equals(point, _point, StringComparison.Ordinal))
        {
            return;
        }

        Console.Error.WriteLine($"{ConfigurationKey}: reached '{point}', killing the process.");
        Console.Error.Flush();
        using var self = Process.GetCurrentProcess();
        self.Kill();
        Environment.FailFast($"{ConfigurationKey}: '{point}'.");
    }
}
