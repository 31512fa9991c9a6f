using System.Collections.Concurrent;
using HyOpps.TestUtilities;

namespace HyOpps.Workflows.Tests.Runtime;

public sealed class MultiWorkerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoWorkersOnOneDatabase_NoExecutionRunsTwoStepsAtOnce_AndEachStepRunsOnce()
    {
        using var database = new TestDatabase();
        var active = new ConcurrentDictionary<string, int>();
        var overlaps = 0;
        var runs = new RunLog();
        var workers = new ConcurrentDictionary<string, byte>();

        void Configure(IHyOppsBuilder h) => h.AddWorkflow("shared", wf =>
        {
            for (var i = 0; i < 3; i++)
            {
                wf.Step($"s{i}", async (c, ct) =>
                {
                    if (active.AddOrUpdate(c.ExecutionId, 1, (_, n) => n + 1) > 1)
                    {
                        Interlocked.Increment(ref overlaps);
                    }

                    runs.Record(c.ExecutionId, c.StepId);
                    await Task.Yield();
                    active.AddOrUpdate(c.ExecutionId, 0, (_, n) => n - 1);
                    return StepResult.Succeeded();
                });
            }
        });

        await using var first = await WorkflowTestHost.StartAsync(Configure, o => o.WorkerId = "worker-a", connectionString: database.ConnectionString);
        await using var second = await WorkflowTestHost.StartAsync(Configure, o => o.WorkerId = "worker-b", connectionString: database.ConnectionString);

        var ids = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            var client = i % 2 == 0 ? first.Client : second.Client;
            ids.Add((await client.StartJsonAsync("shared", "{}", cancellationToken: Ct)).ExecutionId);
        }

        foreach (var id in ids)
        {
            var done = await first.Client.WaitForCompletionAsync(id, Ct);
            Assert.Equal(ExecutionStatus.Succeeded, done.Status);
            foreach (var attempt in done.Steps.SelectMany(s => s.Attempts))
            {
                workers.TryAdd(attempt.WorkerId!, 0);
            }
        }

        Assert.Equal(0, overlaps);
        Assert.All(ids, id => Assert.All(new[] { "s0", "s1", "s2" }, s => Assert.Equal(1, runs.Runs(id, s))));
        Assert.Subset(new HashSet<string> { "worker-a", "worker-b" }, workers.Keys.ToHashSet());
    }
}
