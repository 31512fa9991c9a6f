using System.Diagnostics;
using HyOpps.Storage.Sqlite;
using HyOpps.Storage.Sqlite.Internal;
using HyOpps.TestUtilities;
using HyOpps.Workflows.Storage;

namespace HyOpps.Workflows.Tests.Runtime;

public sealed class ProcessKillTests
{
    private const int Executions = 40;
    private const int Kills = 12;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task KilledManyTimesMidStep_EveryExecutionCompletes_AndNoCompletedStepRunsAgain()
    {
        using var database = new TestDatabase();
        var journal = database.Path + ".journal";
        var seed = Environment.TickCount;
        var random = new Random(seed);
        try
        {
            for (var kill = 0; kill < Kills; kill++)
            {
                using var child = StartChild(database.Path, journal);
                // Wait until the child has journaled more steps, then kill it at a varied moment.
                var linesBefore = CountLines(journal);
                var target = linesBefore + random.Next(1, 60);
                var deadline = DateTime.UtcNow.AddSeconds(60);
                while (CountLines(journal) < target && !child.HasExited && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(random.Next(1, 15), Ct);
                }

                if (!child.HasExited)
                {
                    child.Kill(entireProcessTree: true);
                }

                await child.WaitForExitAsync(Ct);
            }

            using (var final = StartChild(database.Path, journal))
            {
                await final.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromMinutes(3), Ct);
                Assert.True(final.ExitCode == 0, $"the final run exited {final.ExitCode}: {await final.StandardError.ReadToEndAsync(Ct)}");
            }

            await using var store = new SqliteWorkflowStore(new SqliteStoreOptions { ConnectionString = database.ConnectionString });
            var page = await store.ListExecutionsAsync(new ExecutionQuery { Limit = 500 }, Ct);
            Assert.Equal(Executions, page.Total);

            var runs = File.ReadAllLines(journal).Select(l => l.Split(' ')).GroupBy(p => (p[0], p[1])).ToDictionary(g => g.Key, g => g.Select(p => p[2]).ToList());
            foreach (var execution in page.Items)
            {
                var snapshot = (await store.GetExecutionAsync(execution.Id, Ct))!;
                Assert.True(snapshot.Execution.Status == ExecutionStatus.Succeeded, $"seed {seed}: execution {execution.Id} is {snapshot.Execution.Status}: {snapshot.Execution.Error}");
                foreach (var step in snapshot.Steps)
                {
                    Assert.Equal(StepStatus.Succeeded, step.Status);
                    var committed = System.Text.Json.JsonDocument.Parse(step.Output!).RootElement.GetProperty("nonce").GetString();
                    // The committed output must come from the last run of the step: a completed step never runs again.
                    Assert.Equal(runs[(execution.Id, step.StepId)][^1], committed);
                    Assert.DoesNotContain(snapshot.Attempts, a => a.StepIndex == step.Index && a.Outcome == AttemptOutcome.Running);
                }
            }
        }
        finally
        {
            File.Delete(journal);
        }
    }

    private static Process StartChild(string database, string journal)
    {
        var dll = Path.Combine(CrashHostFolder(), "HyOpps.Workflows.CrashHost.dll");
        Assert.True(File.Exists(dll), $"{dll} was not built");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add(database);
        start.ArgumentList.Add(journal);
        start.ArgumentList.Add(Executions.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Process.Start(start)!;
    }

    private static string CrashHostFolder()
    {
        // tests/HyOpps.Workflows.Tests/bin/<Configuration>/<tfm>/ -> tests/HyOpps.Workflows.CrashHost/bin/<Configuration>/<tfm>/
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = here.Name;
        var configuration = here.Parent!.Name;
        var tests = here.Parent.Parent!.Parent!.Parent!.FullName;
        return Path.Combine(tests, "HyOpps.Workflows.CrashHost", "bin", configuration, tfm);
    }

    private static int CountLines(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var count = 0;
            int b;
            while ((b = stream.ReadByte()) != -1)
            {
                if (b == '\n')
                {
                    count++;
                }
            }

            return count;
        }
        catch (FileNotFoundException)
        {
            return 0;
        }
    }
}
