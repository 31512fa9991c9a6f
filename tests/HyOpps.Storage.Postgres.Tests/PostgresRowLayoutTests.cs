using HyOpps.Storage.Postgres.Internal;
using HyOpps.TestUtilities;
using HyOpps.Workflows;
using HyOpps.Workflows.Storage;
using Npgsql;
using static HyOpps.Storage.Postgres.Tests.PostgresTestData;

namespace HyOpps.Storage.Postgres.Tests;

/// <summary>
/// Where the store keeps steps and attempts (schema 6): no row for a step not yet changed, running records in the
/// execution row's overlay, ended ones in their tables; each test reads the rows past the store and the records through it.
/// </summary>
public sealed class PostgresRowLayoutTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    // Text PostgreSQL cannot hold as it is: the store's escape character and NUL.
    private const string Awkward = "{\"note\":\"a\u0000b\u001Ac\u001A0\"}";

    [Fact]
    public async Task Create_PlainPendingSteps_WritesNoStepRowsAndKeepsTheirIdsByIndexInTheExecutionRow()
    {
        var (store, db) = await StartAsync();
        await using var _ = store;
        var steps = Steps("e1", 3);
        var unordered = Steps("e2", 3);

        await store.CreateExecutionAsync(NewExecution("e1"), steps, [], Ct);
        await store.CreateExecutionAsync(NewExecution("e2"), [unordered[2], unordered[0], unordered[1]], [], Ct);

        Assert.Equal((0L, 0L), (await db.StepRowsAsync("e1"), await db.StepRowsAsync("e2")));
        Assert.Equal(["s0", "s1", "s2"], await db.StepIdsAsync("e1") ?? []);
        Assert.Equal(["s0", "s1", "s2"], await db.StepIdsAsync("e2") ?? []);
        Assert.Equal(steps, (await store.GetExecutionAsync("e1", Ct))!.Steps);
        Assert.Equal(unordered, (await store.GetExecutionAsync("e2", Ct))!.Steps);
    }

    [Fact]
    public async Task Create_StepsThatDifferFromPending_WritesARowForEachOfThemAlone()
    {
        var (store, db) = await StartAsync();
        await using var _ = store;
        var plain = Steps("e1", 4);
        StepRecord[] steps = [plain[0], plain[1] with { InputOverride = "{\"email\":\"x@y.example\"}" }, plain[2] with { Status = StepStatus.Skipped }, plain[3]];

        await store.CreateExecutionAsync(NewExecution("e1"), steps, [], Ct);

        Assert.Equal([1, 2], await db.ScalarsAsync<int>("SELECT idx FROM hyopps.steps WHERE execution_id = 'e1' ORDER BY idx"));
        Assert.Equal(["s0", "s1", "s2", "s3"], await db.StepIdsAsync("e1") ?? []);
        Assert.Equal(steps, (await store.GetExecutionAsync("e1", Ct))!.Steps);
    }

    [Fact]
    public async Task Create_GapInTheIndexes_WritesEveryStepAsARowAndNoIds()
    {
        var (store, db) = await StartAsync();
        await using var _ = store;
        StepRecord[] steps = [new() { ExecutionId = "e1", Index = 0, StepId = "s0" }, new() { ExecutionId = "e1", Index = 2, StepId = "s2" }];

        await store.CreateExecutionAsync(NewExecution("e1"), steps, [], Ct);

        Assert.Equal(2L, await db.StepRowsAsync("e1"));
        Assert.Null(await db.StepIdsAsync("e1"));
        Assert.Equal(steps, (await store.GetExecutionAsync("e1", Ct))!.Steps);
        Assert.Equal("e1", Assert.Single((await store.ListExecutionsAsync(new ExecutionQuery { CurrentStepId = "s0" }, Ct)).Items).Id);
    }

    [Fact]
    public async Task Commit_StartingAnAttempt_WritesNoRowsAndReadsBackToTheMicrosecond()
    {
        var (store, db) = await StartAsync();
        await using var _ = store;
        var claim = await CreateAndClaimAsync(store, "e1");

        var (step, attempt) = await StartStepAsync(store, claim);

        Assert.Equal((0L, 0L), (await db.StepRowsAsync("e1"), await db.AttemptRowsAsync("e1")));
        var snapshot = (await store.GetExecutionAsync("e1", Ct))!;
        Assert.Equal([Microseconds(step), claim.Steps[1]], snapshot.Steps);
        Assert.Equal(Microseconds(attempt), Assert.Single(snapshot.Attempts));
        Assert.Equal(Awkward, snapshot.Attempts[0].Input);

        // Worker A's lease runs out: B's claim carries on from the running step and its attempt.
        var reclaimed = Assert.Single(await store.ClaimAsync(new ClaimRequest("B", T0 + (2 * Lease), Lease, 10), Ct));
        Assert.Equal(Microseconds(attempt), Assert.Single(reclaimed.RunningAttempts));
        Assert.Equal([Microseconds(step), claim.Steps[1]], reclaimed.Steps);
    }

    [Fact]
    public async Task Commit_MentioningNeitherRunningRecord_KeepsThem_TheirEndMovesThemToRowsOnce()
    {
        var (store, db) = await StartAsync();
        await using var _ = store;
        var (claim, step, attempt) = await StartedAsync(store);

        // A commit of the execution alone, then one of the step's checkpoint without its attempt.
        Assert.True(await store.CommitAsync(WorkerCommit(claim, T0.AddSeconds(2), 0, [], []), Ct));
        var checkpointed = step with { Checkpoint = "{\"sent\":true}" };
        Assert.True(await store.CommitAsync(WorkerCommit(claim, T0.AddSeconds(3), 0, [checkpointed], []), Ct));

        Assert.Equal((0L, 0L), (await db.StepRowsAsync("e1"), await db.AttemptRowsAsync("e1")));
        var running = (await store.GetExecutionAsync("e1", Ct))!;
        Assert.Equal(Microseconds(checkpointed), running.Steps[0]);
        Assert.Equal(Microseconds(attempt), Assert.Single(running.Attempts));

        var (end, succeeded, ended) = EndCommit(claim, checkpointed, attempt, T0.AddSeconds(4));
        Assert.True(await store.CommitAsync(end, Ct));

        Assert.Equal((1L, 1L), (await db.StepRowsAsync("e1"), await db.AttemptRowsAsync("e1")));
        Assert.Equal((null, null), await db.OverlayAsync("e1"));
        var snapshot = (await store.GetExecutionAsync("e1", Ct))!;
        Assert.Equal([Microseconds(succeeded), claim.Steps[1]], snapshot.Steps);
        Assert.Equal(Microseconds(ended), Assert.Single(snapshot.Attempts));
    }

    [Fact]
    public async Task Commit_EndingOneStepAndStartingTheNext_WritesTheEndedRowsAndKeepsTheNextInTheOverlay()
    {
        var (store, db) = await StartAsync();
        await using var _ = store;
        var (claim, step0, attempt0) = await StartedAsync(store);
        var (succeeded, ended) = Ended(step0, attempt0, T0.AddSeconds(2));
        var (step1, attempt1) = Running(claim.Steps[1], "A", T0.AddSeconds(2).AddTicks(7));

        Assert.True(await store.CommitAsync(WorkerCommit(claim, T0.AddSeconds(2), 1, [succeeded, step1], [ended, attempt1]), Ct));

        Assert.Equal([0], await db.ScalarsAsync<int>("SELECT idx FROM hyopps.steps WHERE execution_id = 'e1'"));
        Assert.Equal([0], await db.ScalarsAsync<int>("SELECT step_idx FROM hyopps.attempts WHERE execution_id = 'e1'"));
        Assert.Equal(["1"], await db.ScalarsAsync<string>("SELECT jsonb_object_keys(running_steps) FROM hyopps.executions WHERE id = 'e1'"));
        Assert.Equal(["1/1/1"], await db.ScalarsAsync<string>("SELECT jsonb_object_keys(running_attempts) FROM hyopps.executions WHERE id = 'e1'"));
        var snapshot = (await store.GetExecutionAsync("e1", Ct))!;
        Assert.Equal([Microseconds(succeeded), Microseconds(step1)], snapshot.Steps);
        Assert.Equal([Microseconds(ended), Microseconds(attempt1)], snapshot.Attempts);
    }

    [Fact]
    public async Task Commit_RetryAfterAFailedAttempt_LaysTheRunningRecordsOverTheRows()
    {
        var (store, db) = await StartAsync();
        await using var _ = store;
        var (claim, step, first) = await StartedAsync(store);
        var at = T0.AddSeconds(2);
        var failed = first with { Outcome = AttemptOutcome.Failed, EndedAt = at, Error = "timeout", ErrorType = "transient" };
        var waiting = step with { Status = StepStatus.Pending, Error = "timeout", ErrorType = "transient" };
        Assert.True(await store.CommitAsync(WorkerCommit(claim, at, 0, [waiting], [failed]), Ct));

        // The second attempt runs over the rows the first one left: the step's row says pending, the overlay running.
        var (retrying, second) = Running(waiting, "A", at.AddTicks(3));
        (retrying, second) = (retrying with { Attempts = 2, FirstAttemptAt = step.FirstAttemptAt }, second with { Number = 2 });
        Assert.True(await store.CommitAsync(WorkerCommit(claim, at, 0, [retrying], [second]), Ct));

        Assert.Equal(["pending"], await db.ScalarsAsync<string>("SELECT status FROM hyopps.steps WHERE execution_id = 'e1'"));
        Assert.Equal(["failed"], await db.ScalarsAsync<string>("SELECT outcome FROM hyopps.attempts WHERE execution_id = 'e1'"));
        var running = (await store.GetExecutionAsync("e1", Ct))!;
        Assert.Equal([Microseconds(retrying), claim.Steps[1]], running.Steps);
        Assert.Equal([Microseconds(failed), Microseconds(second)], running.Attempts);
        var reclaimed = Assert.Single(await store.ClaimAsync(new ClaimRequest("B", T0 + (2 * Lease), Lease, 10), Ct));
        Assert.Equal([Microseconds(retrying), claim.Steps[1]], reclaimed.Steps);
        Assert.Equal(Microseconds(second), Assert.Single(reclaimed.RunningAttempts));

        var (end, succeeded, ended) = EndCommit(reclaimed, retrying, second, at.AddSeconds(1));
        Assert.True(await store.CommitAsync(end, Ct));

        Assert.Equal(["succeeded"], await db.ScalarsAsync<string>("SELECT status FROM hyopps.steps WHERE execution_id = 'e1'"));
        Assert.Equal((null, null), await db.OverlayAsync("e1"));
        var snapshot = (await store.GetExecutionAsync("e1", Ct))!;
        Assert.Equal([Microseconds(succeeded), claim.Steps[1]], snapshot.Steps);
        Assert.Equal([Microseconds(failed), Microseconds(ended)], snapshot.Attempts);
    }

    [Fact]
    public async Task Commits_SharingOneStatement_StartAndEndRunningRecordsAsAloneDo()
    {
        // One batch at a time: a's commit goes alone and waits for a row lock held below, so that b's start and c's end,
        // issued meanwhile, share the next batch and its one statement.
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var store = PostgresStores.Create(connectionString, maxConcurrentBatches: 1);
        await store.InitializeAsync(Ct);
        var db = new Database(connectionString);
        foreach (var id in new[] { "a", "b", "c" })
        {
            await store.CreateExecutionAsync(NewExecution(id), Steps(id, 2), [], Ct);
        }

        var claims = (await store.ClaimAsync(new ClaimRequest("A", T0, Lease, 10), Ct)).ToDictionary(c => c.Execution.Id);
        var (cStep, cAttempt) = await StartStepAsync(store, claims["c"]);
        var (end, succeeded, ended) = EndCommit(claims["c"], cStep, cAttempt, T0.AddSeconds(2));
        var (start, bStep, bAttempt) = StartCommit(claims["b"]);
        var before = store.WriterCounters;

        await using var holder = new NpgsqlConnection(connectionString);
        await using var hold = await LockRowAsync(holder, "a");
        var first = store.CommitAsync(StartCommit(claims["a"]).Commit, Ct).AsTask();
        await Eventually.UntilAsync(() => WaitingForLockAsync(connectionString), waiting => waiting, "the first commit to wait for the row lock");
        var started = store.CommitAsync(start, Ct).AsTask();
        var finished = store.CommitAsync(end, Ct).AsTask();
        await hold.CommitAsync(Ct);

        var committed = await Task.WhenAll(first, started, finished);

        Assert.Equal([true, true, true], committed);
        var after = store.WriterCounters;
        Assert.Equal((3L, 2L, 2L), (after.Operations - before.Operations, after.Batches - before.Batches, after.Statements - before.Statements));
        Assert.Equal((0L, 0L), (await db.StepRowsAsync("b"), await db.AttemptRowsAsync("b")));
        var b = (await store.GetExecutionAsync("b", Ct))!;
        Assert.Equal([Microseconds(bStep), claims["b"].Steps[1]], b.Steps);
        Assert.Equal(Microseconds(bAttempt), Assert.Single(b.Attempts));
        Assert.Equal((1L, 1L), (await db.StepRowsAsync("c"), await db.AttemptRowsAsync("c")));
        Assert.Equal((null, null), await db.OverlayAsync("c"));
        var c = (await store.GetExecutionAsync("c", Ct))!;
        Assert.Equal([Microseconds(succeeded), claims["c"].Steps[1]], c.Steps);
        Assert.Equal(Microseconds(ended), Assert.Single(c.Attempts));
    }

    [Fact]
    public async Task List_ByCurrentStep_FindsExecutionsWhoseCurrentStepHasNoRow()
    {
        var (store, db) = await StartAsync();
        await using var _ = store;
        const string Odd = "s\u00000\u001A";
        await store.CreateExecutionAsync(NewExecution("fresh"), [new StepRecord { ExecutionId = "fresh", Index = 0, StepId = Odd }, .. Steps("fresh", 2)[1..]], [], Ct);
        var moved = await store.CreateExecutionAsync(NewExecution("moved"), Steps("moved", 2), [], Ct);
        Assert.True(await store.CommitAsync(new ExecutionCommit { Execution = moved.Execution with { CurrentStepIndex = 1, UpdatedAt = T0.AddSeconds(1) }, ExpectedVersion = moved.Execution.Version }, Ct));

        Assert.Equal([0L], await db.ScalarsAsync<long>("SELECT count(*) FROM hyopps.steps"));
        Assert.Equal(["fresh"], await ListAsync(store, Odd));
        Assert.Equal(["moved"], await ListAsync(store, "s1"));
        Assert.Empty(await ListAsync(store, "s0"));
    }

    [Fact]
    public async Task Overview_ExecutionFailedWithoutAStepRow_CountsUnderItsCurrentStep()
    {
        var (store, db) = await StartAsync();
        await using var _ = store;
        var created = await store.CreateExecutionAsync(NewExecution("e1"), Steps("e1", 2), [], Ct);
        var failedAt = T0.AddMinutes(1);
        Assert.True(await store.CommitAsync(new ExecutionCommit
        {
            Execution = created.Execution with { Status = ExecutionStatus.Failed, Error = "Bad email", ErrorType = "permanent", UpdatedAt = failedAt, CompletedAt = failedAt },
            ExpectedVersion = created.Execution.Version,
        }, Ct));

        var overview = await store.GetOverviewAsync(new OverviewRequest { Now = T0.AddMinutes(5) }, Ct);

        Assert.Equal(0L, await db.StepRowsAsync("e1"));
        Assert.Equal([new FailingStep("wf", "s0", 1, "Bad email", 1)], overview.FailingSteps);
    }

    [Fact]
    public async Task Commit_OperatorCancelEndingTheRunningAttempt_LeavesNoRunningRecord()
    {
        var (store, db) = await StartAsync();
        await using var _ = store;
        var (claim, step, attempt) = await StartedAsync(store);
        var at = T0.AddSeconds(5);
        var row = (await store.GetExecutionRecordAsync("e1", Ct))!;
        var cancelledStep = step with { Status = StepStatus.Cancelled, CompletedAt = at };
        var cancelledAttempt = attempt with { Outcome = AttemptOutcome.Cancelled, EndedAt = at, Error = "Cancelled by an operator." };

        Assert.True(await store.CommitAsync(new ExecutionCommit
        {
            Execution = row with { Status = ExecutionStatus.Cancelled, LeaseOwner = null, LeaseExpiresAt = null, UpdatedAt = at, CompletedAt = at },
            ExpectedVersion = row.Version,
            RevokeLease = true,
            Steps = [cancelledStep],
            Attempts = [cancelledAttempt],
            Audit = [new AuditRecord { ExecutionId = "e1", At = at, Actor = "operator", Action = "cancel" }],
        }, Ct));

        // The worker's late end of its attempt carries the token the cancel revoked: it is refused and brings nothing back.
        var (late, lateAttempt) = Ended(step, attempt, at.AddSeconds(1));
        Assert.False(await store.CommitAsync(new ExecutionCommit { Execution = claim.Execution, ExpectedFencingToken = claim.Execution.FencingToken, Steps = [late], Attempts = [lateAttempt] }, Ct));

        Assert.Equal((null, null), await db.OverlayAsync("e1"));
        Assert.Equal(["cancelled"], await db.ScalarsAsync<string>("SELECT outcome FROM hyopps.attempts WHERE execution_id = 'e1'"));
        var snapshot = (await store.GetExecutionAsync("e1", Ct))!;
        Assert.Equal(Microseconds(cancelledAttempt), Assert.Single(snapshot.Attempts));
        Assert.Equal(Microseconds(cancelledStep), snapshot.Steps[0]);
    }

    private async Task<(PostgresWorkflowStore Store, Database Db)> StartAsync()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var store = PostgresStores.Create(connectionString);
        await store.InitializeAsync(Ct);
        return (store, new Database(connectionString));
    }

    private static StepRecord[] Steps(string id, int count)
        => [.. Enumerable.Range(0, count).Select(i => new StepRecord { ExecutionId = id, Index = i, StepId = $"s{i}" })];

    private static async Task<ClaimedExecution> CreateAndClaimAsync(PostgresWorkflowStore store, string id)
    {
        await store.CreateExecutionAsync(NewExecution(id), Steps(id, 2), [], Ct);
        return Assert.Single(await store.ClaimAsync(new ClaimRequest("A", T0, Lease, 10), Ct));
    }

    /// <summary>Execution e1, claimed by worker A, which has started step 0's first attempt.</summary>
    private static async Task<(ClaimedExecution Claim, StepRecord Step, AttemptRecord Attempt)> StartedAsync(PostgresWorkflowStore store)
    {
        var claim = await CreateAndClaimAsync(store, "e1");
        var (step, attempt) = await StartStepAsync(store, claim);
        return (claim, step, attempt);
    }

    /// <summary>Worker A's commit that starts step 0's first attempt, at a time finer than PostgreSQL keeps, with awkward text.</summary>
    private static async Task<(StepRecord Step, AttemptRecord Attempt)> StartStepAsync(PostgresWorkflowStore store, ClaimedExecution claim)
    {
        var (commit, step, attempt) = StartCommit(claim);
        Assert.True(await store.CommitAsync(commit, Ct));
        return (step, attempt);
    }

    private static (ExecutionCommit Commit, StepRecord Step, AttemptRecord Attempt) StartCommit(ClaimedExecution claim)
    {
        var (step, attempt) = Running(claim.Steps[0] with { Checkpoint = Awkward }, "A", T0.AddTicks(1_234_567));
        return (WorkerCommit(claim, attempt.StartedAt, 0, [step], [attempt]), step, attempt);
    }

    /// <summary>Worker A's commit that ends step 0 and its attempt in success and moves on to step 1.</summary>
    private static (ExecutionCommit Commit, StepRecord Step, AttemptRecord Attempt) EndCommit(ClaimedExecution claim, StepRecord step, AttemptRecord attempt, DateTimeOffset at)
    {
        var (succeeded, ended) = Ended(step, attempt, at);
        return (WorkerCommit(claim, at, 1, [succeeded], [ended]), succeeded, ended);
    }

    /// <summary>Worker A's commit under its claim's token: the running execution at step <paramref name="current"/>, with these records.</summary>
    private static ExecutionCommit WorkerCommit(ClaimedExecution claim, DateTimeOffset at, int current, StepRecord[] steps, AttemptRecord[] attempts) => new()
    {
        Execution = claim.Execution with { Status = ExecutionStatus.Running, CurrentStepIndex = current, UpdatedAt = at },
        ExpectedFencingToken = claim.Execution.FencingToken,
        Steps = steps,
        Attempts = attempts,
    };

    private static (StepRecord Step, AttemptRecord Attempt) Running(StepRecord pending, string worker, DateTimeOffset at)
    {
        var step = pending with { Status = StepStatus.Running, Attempts = 1, FirstAttemptAt = at, StartedAt = at };
        var attempt = new AttemptRecord
        {
            ExecutionId = step.ExecutionId,
            StepIndex = step.Index,
            StepId = step.StepId,
            Run = step.Run,
            Number = 1,
            WorkerId = worker,
            StartedAt = at,
            Outcome = AttemptOutcome.Running,
            Input = Awkward,
        };
        return (step, attempt);
    }

    private static (StepRecord Step, AttemptRecord Attempt) Ended(StepRecord step, AttemptRecord attempt, DateTimeOffset at)
        => (step with { Status = StepStatus.Succeeded, Output = "{\"ok\":true}", CompletedAt = at },
            attempt with { Outcome = AttemptOutcome.Succeeded, Output = "{\"ok\":true}", EndedAt = at });

    private static async Task<string[]> ListAsync(PostgresWorkflowStore store, string currentStepId)
        => [.. (await store.ListExecutionsAsync(new ExecutionQuery { CurrentStepId = currentStepId }, Ct)).Items.Select(e => e.Id).Order(StringComparer.Ordinal)];

    // PostgreSQL keeps times to the microsecond: a tick is a tenth of one.
    private static DateTimeOffset Microseconds(DateTimeOffset t) => new(t.Ticks / 10 * 10, t.Offset);

    private static DateTimeOffset? Microseconds(DateTimeOffset? t) => t is { } v ? Microseconds(v) : null;

    private static StepRecord Microseconds(StepRecord s)
        => s with { FirstAttemptAt = Microseconds(s.FirstAttemptAt), StartedAt = Microseconds(s.StartedAt), CompletedAt = Microseconds(s.CompletedAt) };

    private static AttemptRecord Microseconds(AttemptRecord a) => a with { StartedAt = Microseconds(a.StartedAt), EndedAt = Microseconds(a.EndedAt) };

    /// <summary>The test's database read past the store.</summary>
    private sealed record Database(string ConnectionString)
    {
        public Task<long> StepRowsAsync(string id) => ScalarAsync<long>($"SELECT count(*) FROM hyopps.steps WHERE execution_id = '{id}'");

        public Task<long> AttemptRowsAsync(string id) => ScalarAsync<long>($"SELECT count(*) FROM hyopps.attempts WHERE execution_id = '{id}'");

        public Task<string[]?> StepIdsAsync(string id) => ScalarAsync<string[]>($"SELECT step_ids FROM hyopps.executions WHERE id = '{id}'");

        /// <summary>The execution row's running steps and attempts, as JSON text.</summary>
        public async Task<(string? Steps, string? Attempts)> OverlayAsync(string id)
            => (await ScalarAsync<string>($"SELECT running_steps::text FROM hyopps.executions WHERE id = '{id}'"),
                await ScalarAsync<string>($"SELECT running_attempts::text FROM hyopps.executions WHERE id = '{id}'"));

        public async Task<List<T>> ScalarsAsync<T>(string sql) => [.. (await PostgresTestData.ScalarsAsync(ConnectionString, sql)).Cast<T>()];

        private async Task<T?> ScalarAsync<T>(string sql) => Assert.Single(await PostgresTestData.ScalarsAsync(ConnectionString, sql)) is T value ? value : default;
    }
}
