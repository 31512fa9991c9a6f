using System.Diagnostics;
using HyOpps.Testing.Smtp;

namespace HyOpps.Integrations.Email.Tests;

/// <summary>A host killed (SIGKILL) while the server holds its reply to QUIT does not send the email again after a restart.</summary>
public sealed class EmailProcessKillTests
{
    private static readonly TimeSpan ChildWait = TimeSpan.FromMinutes(2);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HostKilledWhileQuitIsPending_RestartedHostCompletesWithoutSendingAgain()
    {
        await using var smtp = new SmtpSimulator();
        await smtp.StartAsync(Ct);
        smtp.HoldQuit();
        var database = Path.Combine(Path.GetTempPath(), $"hyopps-email-kill-{Guid.NewGuid():N}.db");
        try
        {
            using (var first = StartChild(database, smtp))
            {
                // The server has accepted the message and the host waits for the 221: kill it there.
                await smtp.QuitReceivedAsync(ChildWait, Ct);
                first.Kill(entireProcessTree: true);
                await first.WaitForExitAsync(Ct).WaitAsync(ChildWait, Ct);
            }

            smtp.ReleaseQuit();
            Assert.Single(smtp.Messages);

            using var second = StartChild(database, smtp);
            var output = second.StandardOutput.ReadToEndAsync(Ct);
            await second.WaitForExitAsync(Ct).WaitAsync(ChildWait, Ct);

            Assert.True(second.ExitCode == 0, await second.StandardError.ReadToEndAsync(Ct));
            Assert.Equal("Succeeded", (await output).Trim());
            Assert.Single(smtp.Messages);
        }
        finally
        {
            foreach (var file in new[] { database, database + "-wal", database + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    private static Process StartChild(string database, SmtpSimulator smtp)
    {
        var dll = Path.Combine(CrashHostFolder(), "HyOpps.Integrations.Email.CrashHost.dll");
        Assert.True(File.Exists(dll), $"{dll} was not built");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add(database);
        start.ArgumentList.Add(smtp.Host);
        start.ArgumentList.Add(smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Process.Start(start)!;
    }

    private static string CrashHostFolder()
    {
        // tests/HyOpps.Integrations.Email.Tests/bin/<Configuration>/<tfm>/ -> tests/HyOpps.Integrations.Email.CrashHost/bin/<Configuration>/<tfm>/
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = here.Name;
        var configuration = here.Parent!.Name;
        var tests = here.Parent.Parent!.Parent!.Parent!.FullName;
        return Path.Combine(tests, "HyOpps.Integrations.Email.CrashHost", "bin", configuration, tfm);
    }
}
