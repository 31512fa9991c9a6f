using System.Diagnostics;

namespace HyOpps.Storage.Postgres.Tests;

/// <summary>A child process of <c>HyOpps.Storage.Postgres.TestHost</c>: started, waited for until ready, signalled and stopped.</summary>
internal sealed class ChildHost : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Text.StringBuilder _output = new();

    private ChildHost(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

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

    public static async Task<ChildHost> StartAsync(params string[] arguments)
    {
        var dll = Path.Combine(HostFolder(), "HyOpps.Storage.Postgres.TestHost.dll");
        Assert.True(File.Exists(dll), $"{dll} was not built");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var child = new ChildHost(Process.Start(start)!);
        child._process.OutputDataReceived += (_, e) => child.Received(e.Data, ready: e.Data == "ready");
        child._process.ErrorDataReceived += (_, e) => child.Received(e.Data, ready: false);
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        var exited = child._process.WaitForExitAsync(TestContext.Current.CancellationToken);
        await Task.WhenAny(child._ready.Task, exited).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        Assert.True(child._ready.Task.IsCompleted, $"the host exited before it was ready: {child.Output}");
        return child;
    }

    /// <summary>Sends a POSIX signal (SIGKILL 9, SIGTERM 15, SIGSTOP 19, SIGCONT 18).</summary>
    public void Signal(int signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { $"-{signal}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Stops the host gracefully (SIGTERM): its runners end and it exits.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            Signal(15);
        }

        await _process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
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

    private void Received(string? line, bool ready)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (ready)
        {
            _ready.TrySetResult();
        }
    }

    private static string HostFolder()
    {
        // tests/HyOpps.Storage.Postgres.Tests/bin/<Configuration>/<tfm>/ -> tests/HyOpps.Storage.Postgres.TestHost/bin/<Configuration>/<tfm>/
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tests = here.Parent!.Parent!.Parent!.Parent!.FullName;
        return Path.Combine(tests, "HyOpps.Storage.Postgres.TestHost", "bin", here.Parent.Name, here.Name);
    }
}
