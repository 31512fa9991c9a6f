using HyOpps.Workflows.Storage;
using Xunit;

namespace HyOpps.Workflows.Testing;

/// <content>Retention: only finished executions older than the cutoff are deleted, with everything they own, in bounded batches.</content>
public abstract partial class WorkflowStoreConformanceTests
{
    /// <summary>Checks that a delete takes only the matching finished, old executions, and their steps, attempts, audit and labels.</summary>
    [Fact]
    public async Task Retention_DeletesOnlyFinishedExecutionsOfTheWorkflowAndStatusOlderThanTheCutoff()
    {
        var cutoff = T0.AddDays(-90);
        await CreateFinishedAsync("old-ok", ExecutionStatus.Succeeded, cutoff.AddMinutes(-1), key: "k-old");
        await CreateFinishedAsync("new-ok", ExecutionStatus.Succeeded, cutoff.AddMinutes(1));
        await CreateFinishedAsync("old-failed", ExecutionStatus.Failed, cutoff.AddDays(-10));
        await CreateFinishedAsync("old-other", ExecutionStatus.Succeeded, cutoff.AddDays(-10), workflow: "other");
        foreach (var (id, status) in new[] { ("old-pending", ExecutionStatus.Pending), ("old-running", ExecutionStatus.Running), ("old-waiting", ExecutionStatus.WaitingForApproval) })
        {
            // Unfinished executions never match, however old, even with a stale completion time.
            await Store.CreateExecutionAsync(NewExecution(id, at: cutoff.AddDays(-30)) with { Status = status, CompletedAt = cutoff.AddDays(-30) }, Steps(id), [], Ct);
        }

        var request = new RetentionRequest { WorkflowName = "wf", Status = ExecutionStatus.Succeeded, FinishedBefore = cutoff };
        Assert.Equal(1, await Store.CountFinishedExecutionsAsync(request, Ct));
        Assert.NotEmpty((await Store.GetExecutionAsync("old-ok", Ct))!.Attempts);

        Assert.Equal(1, await Store.DeleteFinishedExecutionsAsync(request, Ct));

        Assert.Null(await Store.GetExecutionAsync("old-ok", Ct));
        Assert.Null(await Store.GetExecutionRecordAsync("old-ok", Ct));
        foreach (var id in new[] { "new-ok", "old-failed", "old-other", "old-pending", "old-running", "old-waiting" })
        {
            var kept = await Store.GetExecutionAsync(id, Ct);
            Assert.True(kept is not null, $"'{id}' was deleted.");
            Assert.NotEmpty(kept.Steps);
        }

        Assert.Equal(0, await Store.CountFinishedExecutionsAsync(request, Ct));
        Assert.Equal(0, await Store.DeleteFinishedExecutionsAsync(request, Ct));

        // The labels and idempotency key went with it: a label filter no longer finds it, and the key is free again.
        var byLabel = await Store.ListExecutionsAsync(new ExecutionQuery { Labels = new Dictionary<string, string> { ["org"] = "old-ok" } }, Ct);
        Assert.Equal(0, byLabel.Total);
        var again = await Store.CreateExecutionAsync(NewExecution("old-ok-2", "k-old"), Steps("old-ok-2"), [], Ct);
        Assert.True(again.Created);

        // A new execution reusing the id carries none of the deleted one's steps, attempts or audit.
        await Store.CreateExecutionAsync(NewExecution("old-ok"), Steps("old-ok", 1), [], Ct);
        var reused = (await Store.GetExecutionAsync("old-ok", Ct))!;
        Assert.Equal((1, 0, 0), (reused.Steps.Count, reused.Attempts.Count, reused.Audit.Count));
    }

    /// <summary>Checks that one delete removes at most the batch size, oldest first.</summary>
    [Fact]
    public async Task Retention_DeleteIsBoundedByMaxCount_OldestFirst()
    {
        for (var i = 0; i < 5; i++)
        {
            await CreateFinishedAsync($"f{i}", ExecutionStatus.Failed, T0.AddDays(-400 - i));
        }

        var request = new RetentionRequest { WorkflowName = "wf", Status = ExecutionStatus.Failed, FinishedBefore = T0.AddDays(-365), MaxCount = 2 };

        Assert.Equal(2, await Store.DeleteFinishedExecutionsAsync(request, Ct));
        Assert.Null(await Store.GetExecutionRecordAsync("f4", Ct));
        Assert.Null(await Store.GetExecutionRecordAsync("f3", Ct));
        Assert.NotNull(await Store.GetExecutionRecordAsync("f2", Ct));
        Assert.Equal(3, await Store.CountFinishedExecutionsAsync(request, Ct));
        Assert.Equal(2, await Store.DeleteFinishedExecutionsAsync(request, Ct));
        Assert.Equal(1, await Store.DeleteFinishedExecutionsAsync(request, Ct));
        Assert.Equal(0, await Store.CountFinishedExecutionsAsync(request, Ct));
    }

    /// <summary>Checks that a backlog of thousands is deleted in batches no larger than asked, leaving the recent ones.</summary>
    [Fact]
    public async Task Retention_LargeBacklog_IsDeletedInBoundedBatches()
    {
        const int Backlog = 5_000;
        const int Batch = 500;
        for (var chunk = 0; chunk < Backlog; chunk += 250)
        {
            // Concurrent creates share transactions in stores that group commits; the backlog builds in seconds.
            await Task.WhenAll(Enumerable.Range(chunk, 250).Select(i => CreateFinishedAsync($"b{i:D5}", ExecutionStatus.Cancelled, T0.AddDays(-500).AddSeconds(i), withAttempt: false)));
        }

        await CreateFinishedAsync("recent", ExecutionStatus.Cancelled, T0.AddDays(-1), withAttempt: false);
        var request = new RetentionRequest { WorkflowName = "wf", Status = ExecutionStatus.Cancelled, FinishedBefore = T0.AddDays(-365), MaxCount = Batch };
        Assert.Equal(Backlog, await Store.CountFinishedExecutionsAsync(request, Ct));

        var batches = new List<int>();
        int deleted;
        do
        {
            deleted = await Store.DeleteFinishedExecutionsAsync(request, Ct);
            batches.Add(deleted);
        }
        while (deleted == Batch);

        Assert.All(batches, b => Assert.InRange(b, 0, Batch));
        Assert.Equal(Backlog, batches.Sum());
        Assert.Equal(Backlog / Batch, batches.Count(b => b == Batch));
        Assert.Equal(0, await Store.CountFinishedExecutionsAsync(request, Ct));
        Assert.NotNull(await Store.GetExecutionRecordAsync("recent", Ct));
        Assert.Equal(1, (await Store.ListExecutionsAsync(new ExecutionQuery(), Ct)).Total);
    }

    /// <summary>Checks that a request for an unfinished status is refused before anything is deleted.</summary>
    [Fact]
    public async Task Retention_RequestForAnUnfinishedStatus_IsRefused()
    {
        await Store.CreateExecutionAsync(NewExecution("p", at: T0.AddDays(-500)), Steps("p"), [], Ct);
        var request = new RetentionRequest { WorkflowName = "wf", Status = ExecutionStatus.Pending, FinishedBefore = T0 };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Store.DeleteFinishedExecutionsAsync(request, Ct).AsTask());
        Assert.Contains("finished", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => Store.CountFinishedExecutionsAsync(request, Ct).AsTask());
        Assert.NotNull(await Store.GetExecutionRecordAsync("p", Ct));
    }

    /// <summary>Creates an execution and finishes it at <paramref name="finishedAt"/> with an attempt and audit entries.</summary>
    /// <param name="id">The execution id.</param>
    /// <param name="status">The finished status.</param>
    /// <param name="finishedAt">When it finished.</param>
    /// <param name="workflow">The workflow name.</param>
    /// <param name="key">An idempotency key.</param>
    /// <param name="withAttempt">Whether to record an attempt.</param>
    /// <returns>A task that completes once the execution is finished.</returns>
    protected async Task CreateFinishedAsync(string id, ExecutionStatus status, DateTimeOffset finishedAt, string workflow = "wf", string? key = null, bool withAttempt = true)
    {
        var created = finishedAt.AddMinutes(-5);
        var start = new AuditRecord { ExecutionId = id, At = created, Actor = "ops", Action = "start" };
        var execution = NewExecution(id, key, new Dictionary<string, string> { ["org"] = id }, created, workflow);
        await Store.CreateExecutionAsync(execution, Steps(id), [start], Ct);
        var attempt = new AttemptRecord { ExecutionId = id, StepIndex = 0, StepId = "s0", Run = 1, Number = 1, StartedAt = created, EndedAt = finishedAt, Outcome = AttemptOutcome.Succeeded };
        var done = await Store.CommitAsync(new ExecutionCommit
        {
            Execution = execution with { Status = status, UpdatedAt = finishedAt, CompletedAt = finishedAt, Version = 1 },
            ExpectedVersion = 1,
            Attempts = withAttempt ? [attempt] : [],
            Audit = [new AuditRecord { ExecutionId = id, At = finishedAt, Actor = "worker", Action = status.ToString().ToLowerInvariant() }],
        }, Ct);
        Assert.True(done, $"Finishing '{id}' failed.");
    }
}
