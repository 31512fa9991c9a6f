using System.Diagnostics;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using HyOpps.SampleHost.Sandbox;
using HyOpps.SampleHost.Starts;

namespace HyOpps.SampleHost.Tests;

/// <summary>
/// The built sample host as a child process in sandbox mode, serving on an OS-picked port of 127.0.0.1, with a data folder that
/// outlives it; optionally killed by its crash hook at a named point.
/// </summary>
internal sealed partial class SampleHostProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(180);
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SampleHostProcess(Process process) => _process = process;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Gets everything the process wrote so far (stdout and stderr), for assertion messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the host and waits (bounded) until it listens.</summary>
    /// <param name="dataDirectory">The folder of sample.db and hyopps.db.</param>
    /// <param name="crashAt">A <see cref="CrashHook"/> point, or null.</param>
    public static async Task<SampleHostProcess> StartAsync(string dataDirectory, string? crashAt)
    {
        var dll = Path.Combine(SampleFolder(), "HyOpps.SampleHost.dll");
        Assert.True(File.Exists(dll), $"The sample host is not built at {dll}.");
        var start = NewStartInfo(dll);
        foreach (var argument in new[]
        {
            "--environment", "Production",
            "--urls", "http://127.0.0.1:0",
            "--HyOpps:Sandbox", "true",
            "--HyOpps:DataDirectory", dataDirectory,

            // A killed host's executions are claimed again once their leases expire: keep that short.
            "--HyOpps:Runtime:LeaseDuration", "00:00:04",
        })
        {
            start.ArgumentList.Add(argument);
        }

        if (crashAt is not null)
        {
            start.ArgumentList.Add($"--{CrashHook.ConfigurationKey}");
            start.ArgumentList.Add(crashAt);
        }

        var host = new SampleHostProcess(Process.Start(start)!);
        host._process.OutputDataReceived += (_, e) => host.Append(e.Data);
        host._process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        host._process.BeginOutputReadLine();
        host._process.BeginErrorReadLine();
        host._process.StandardInput.Close();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(StartTimeout);
        var exited = host._process.WaitForExitAsync(timeout.Token);
        var first = await Task.WhenAny(host._listening.Task, exited);
        if (first != host._listening.Task)
        {
            // Read the state before disposing: a disposed Process answers nothing, and the message is all a failed CI run keeps.
            var why = host._process.HasExited
                ? $"exited with code {host._process.ExitCode}"
                : $"still not listening after {StartTimeout.TotalSeconds:0} s";
            await host.DisposeAsync();
            Assert.Fail($"The sample host did not start listening ({why}).\n{host.Output}");
        }

        host.BaseAddress = await host._listening.Task;
        return host;
    }

    /// <summary>A client of the host signed in as the sandbox admin.</summary>
    public HttpClient Admin()
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        client.DefaultRequestHeaders.Add("X-Api-Key", SandboxAccounts.AdminApiKey);
        return client;
    }

    /// <summary>Sends a request that the crash hook interrupts; asserts that no answer came and that the process died at the point.</summary>
    public async Task CrashDuringAsync(Func<HttpClient, Task<HttpResponseMessage>> send, string point)
    {
        using var client = Admin();
        var error = await Record.ExceptionAsync(async () =>
        {
            using var response = await send(client);
            Assert.Fail($"The request answered {(int)response.StatusCode} instead of dying at '{point}': {await response.Content.ReadAsStringAsync()}\n{Output}");
        });
        Assert.True(error is HttpRequestException or TaskCanceledException, $"Expected the connection to break at '{point}', got {error}\n{Output}");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(ExitTimeout);
        await _process.WaitForExitAsync(timeout.Token);
        Assert.NotEqual(0, _process.ExitCode);
        Assert.Contains($"{CrashHook.ConfigurationKey}: reached '{point}'", Output, StringComparison.Ordinal);
    }

    /// <summary>The folder of the built sample host (same configuration and target framework as these tests).</summary>
    public static string SampleFolder()
    {
        // tests/HyOpps.SampleHost.Tests/bin/<Configuration>/<tfm>/ -> samples/HyOpps.SampleHost/bin/<Configuration>/<tfm>/
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = typeof(SampleHostProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? here.Parent!.Name;
        var root = here;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "HyOpps.sln")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        return Path.Combine(root.FullName, "samples", "HyOpps.SampleHost", "bin", configuration, here.Name);
    }

    /// <summary>A start of the built host with redirected streams and none of the machine's integration settings.</summary>
    public static ProcessStartInfo NewStartInfo(string dll)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("HyOpps__", StringComparison.OrdinalIgnoreCase) || k is "SLACK_BOT_TOKEN" or "SMTP_HOST").ToList())
        {
            start.Environment.Remove(key);
        }

        return start;
    }

    /// <summary>Runs the built host with <paramref name="start"/> to its exit (killed after <paramref name="limit"/>), with stdin closed.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunToExitAsync(ProcessStartInfo start, TimeSpan limit)
    {
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await errors);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
