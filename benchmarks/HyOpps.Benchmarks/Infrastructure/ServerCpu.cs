using System.Globalization;
using Npgsql;

namespace HyOpps.Benchmarks.Infrastructure;

/// <summary>The CPU time a local PostgreSQL server has used: its postmaster and every backend, live or exited (Linux only).</summary>
/// <remarks>
/// Read from <c>/proc</c>: the postmaster's own time and its reaped children's, plus each live child's. A backend that
/// exits is reaped by the postmaster, so its time moves from the live sum to the reaped one and is never lost.
/// </remarks>
internal sealed class ServerCpu(int postmaster)
{
    // Clock ticks per second of /proc's times (USER_HZ), 100 on every Linux the benchmark runs on.
    private const double TicksPerSecond = 100;

    /// <summary>Finds the server of <paramref name="connectionString"/> through the parent of one of its backends.</summary>
    public static async Task<ServerCpu> FindAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
        var backend = (int)(await command.ExecuteScalarAsync())!;
        return new ServerCpu(int.Parse(Stat(backend)![1], CultureInfo.InvariantCulture));
    }

    /// <summary>Gets the CPU time used so far; zero where <c>/proc</c> cannot be read.</summary>
    public TimeSpan Used()
    {
        var own = Stat(postmaster);
        if (own is null)
        {
            return TimeSpan.Zero;
        }

        // Fields after the command name: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14).
        var ticks = Ticks(own, 11) + Ticks(own, 12) + Ticks(own, 13) + Ticks(own, 14);
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && Stat(pid) is { } child && child[1] == postmaster.ToString(CultureInfo.InvariantCulture))
            {
                ticks += Ticks(child, 11) + Ticks(child, 12);
            }
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    private static long Ticks(string[] fields, int index) => long.Parse(fields[index], CultureInfo.InvariantCulture);

    /// <summary>The fields of <c>/proc/PID/stat</c> after the command name, which may itself hold spaces.</summary>
    private static string[]? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
