using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace HyOpps.TestUtilities.Postgres;

/// <summary>A throwaway PostgreSQL cluster: <c>initdb</c> and <c>pg_ctl</c> in a temporary folder, on 127.0.0.1 and a free port, stopped and deleted on dispose.</summary>
/// <remarks>
/// Uses Debian's server binaries (<c>/usr/lib/postgresql/&lt;version&gt;/bin</c>, package <c>postgresql</c>). PostgreSQL
/// refuses to run as root, so as root the cluster runs as the unprivileged <c>postgres</c> system user (created by the
/// package) through <c>runuser</c>, and its folder belongs to that user.
/// </remarks>
public sealed class PostgresCluster : IAsyncDisposable
{
    /// <summary>How to get the binaries, for skip and failure messages.</summary>
    public const string InstallHint = "install Debian's PostgreSQL server (`sudo apt-get install postgresql`, or run `.ci/setup` as root)";

    private const string SuperUser = "hyopps";
    private const string RunAsUser = "postgres";

    private readonly string _bin;
    private readonly string _folder;
    private readonly bool _asOtherUser;

    private PostgresCluster(string bin, string folder, int port, bool asOtherUser)
    {
        _bin = bin;
        _folder = folder;
        Port = port;
        _asOtherUser = asOtherUser;
    }

    /// <summary>Gets the TCP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>Gets the server's log file.</summary>
    public string LogFile => Path.Combine(_folder, "server.log");

    /// <summary>Finds the folder of <c>initdb</c> and <c>pg_ctl</c>, the newest version first.</summary>
    /// <returns>The folder, or <see langword="null"/> when PostgreSQL is not installed.</returns>
    public static string? FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
        {
            return null;
        }

        return Directory.GetDirectories(root)
            .Select(d => (Folder: Path.Combine(d, "bin"), Version: double.TryParse(Path.GetFileName(d), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : 0))
            .Where(d => File.Exists(Path.Combine(d.Folder, "initdb")) && File.Exists(Path.Combine(d.Folder, "pg_ctl")))
            .OrderByDescending(d => d.Version)
            .Select(d => d.Folder)
            .FirstOrDefault();
    }

    /// <summary>Creates and starts a cluster.</summary>
    /// <param name="durable"><see langword="true"/> to flush every commit to disk as a production server does (for benchmarks); otherwise fsync is off, which only matters on power loss.</param>
    /// <param name="settings">More server settings, as <c>-c name=value</c> options (a benchmark loading <c>pg_stat_statements</c>).</param>
    /// <param name="cancellationToken">The token to cancel the work.</param>
    /// <returns>The running cluster.</returns>
    /// <exception cref="InvalidOperationException">PostgreSQL is not installed or did not start.</exception>
    public static async Task<PostgresCluster> StartAsync(bool durable = false, string? settings = null, CancellationToken cancellationToken = default)
    {
        var bin = FindBinaries() ?? throw new InvalidOperationException($"PostgreSQL is not installed: {InstallHint}.");
        var asOtherUser = IsRoot();
        var folder = Path.Combine(Path.GetTempPath(), $"hyopps-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        if (asOtherUser)
        {
            await RunAsync("chown", [$"{RunAsUser}:", folder], cancellationToken).ConfigureAwait(false);
        }

        var data = Path.Combine(folder, "data");
        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var port = FreePort();
            var cluster = new PostgresCluster(bin, folder, port, asOtherUser);
            try
            {
                if (!Directory.Exists(data))
                {
                    await cluster.RunToolAsync("initdb", ["-D", data, "-U", SuperUser, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"], cancellationToken).ConfigureAwait(false);
                }

                var options = $"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories='' -c max_connections=300 -c shared_buffers=128MB"
                    + (durable ? string.Empty : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off")
                    + (settings is null ? string.Empty : " " + settings);
                await cluster.RunToolAsync("pg_ctl", ["-D", data, "-l", cluster.LogFile, "-w", "-t", "60", "-o", options, "start"], cancellationToken).ConfigureAwait(false);
                return cluster;
            }
            catch (InvalidOperationException ex)
            {
                // Most likely the port was taken between picking it and the server binding it.
                last = ex;
            }
        }

        throw new InvalidOperationException($"PostgreSQL did not start in {folder}: {last?.Message}", last);
    }

    /// <summary>Gets a connection string to a database of the cluster.</summary>
    /// <param name="database">The database name.</param>
    /// <returns>The connection string.</returns>
    public string ConnectionString(string database = "postgres")
        => new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Database = database, Username = SuperUser, Timeout = 30, CommandTimeout = 60 }.ConnectionString;

    /// <summary>Creates an empty database with a unique name.</summary>
    /// <param name="cancellationToken">The token to cancel the work.</param>
    /// <returns>Its connection string.</returns>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        var name = $"t_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return ConnectionString(name);
    }

    /// <summary>Restarts the server (fast shutdown: open connections are closed) and waits until it accepts connections again.</summary>
    /// <param name="cancellationToken">The token to cancel the work.</param>
    /// <returns>A task that completes once the server is back.</returns>
    public Task RestartAsync(CancellationToken cancellationToken = default)
        => RunToolAsync("pg_ctl", ["-D", Path.Combine(_folder, "data"), "-w", "-t", "60", "-m", "fast", "restart"], cancellationToken);

    /// <summary>Stops the server and deletes its folder.</summary>
    /// <returns>A task that completes once the server stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await RunToolAsync("pg_ctl", ["-D", Path.Combine(_folder, "data"), "-w", "-t", "60", "-m", "immediate", "stop"], CancellationToken.None).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private Task RunToolAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
        => _asOtherUser
            ? RunAsync("runuser", ["-u", RunAsUser, "--", Path.Combine(_bin, tool), .. arguments], cancellationToken)
            : RunAsync(Path.Combine(_bin, tool), arguments, cancellationToken);

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} exited {process.ExitCode}: {await error.ConfigureAwait(false)} {await output.ConfigureAwait(false)}".Trim());
        }
    }

    private static bool IsRoot()
    {
        try
        {
            return File.ReadAllLines("/proc/self/status").Any(l => l.StartsWith("Uid:", StringComparison.Ordinal) && l.Split('\t', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1) == "0");
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
