using HyOpps.Storage.Postgres.Internal;
using HyOpps.TestUtilities;
using HyOpps.Workflows;
using HyOpps.Workflows.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using static HyOpps.Storage.Postgres.Tests.PostgresTestData;

namespace HyOpps.Storage.Postgres.Tests;

public sealed class PostgresWorkflowStoreTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Initialize_ManyHostsAtOnce_MigrateOnceIntoTheirSchema()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var stores = Enumerable.Range(0, 6).Select(_ => PostgresStores.Create(connectionString, schema: "onboarding")).ToArray();
        try
        {
            await Task.WhenAll(stores.Select(s => s.InitializeAsync(Ct).AsTask()));

            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(Ct);
            Assert.Equal(PostgresSchema.LatestVersion, await PostgresSchema.ReadVersionAsync(connection, null, "onboarding", Ct));
            await using var rows = new NpgsqlCommand("SELECT count(*) FROM onboarding.schema_version", connection);
            Assert.Equal(1L, await rows.ExecuteScalarAsync(Ct));
            await using var tables = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", connection);
            Assert.Equal(0L, await tables.ExecuteScalarAsync(Ct));
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Initialize_SchemaAtVersion1_AddsAttemptInputsKeepsEndedAttemptsAndMovesRunningOnesIntoTheExecutionRow()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using (var store = PostgresStores.Create(connectionString))
        {
            await store.InitializeAsync(Ct);
        }

        await using (var connection = new NpgsqlConnection(connectionString))
        {
            // Back to the version 1 schema, with an ended attempt written by it and one left running by a host that died.
            await connection.OpenAsync(Ct);
            await using var downgrade = new NpgsqlCommand(
                "ALTER TABLE hyopps.attempts DROP COLUMN input; UPDATE hyopps.schema_version SET version = 1; " +
                "ALTER TABLE hyopps.executions DROP COLUMN step_ids, DROP COLUMN running_steps, DROP COLUMN running_attempts; " +
                "DROP TABLE hyopps.notifications; DROP INDEX hyopps.ix_executions_workflow_status; DROP INDEX hyopps.ix_executions_label_values; " +
                "CREATE INDEX ix_attempts_running ON hyopps.attempts (execution_id) WHERE outcome = 'running'; " +
                "INSERT INTO hyopps.executions (id, workflow_name, workflow_version, status, input, labels, current_step, created_at, updated_at, fencing_token, version, due_at) " +
                "VALUES ('old', 'wf', 1, 'pending', '{}', '{}', 0, now(), now(), 0, 1, 0); " +
                "INSERT INTO hyopps.steps (execution_id, idx, step_id, status, run, attempts, abandoned) VALUES ('old', 0, 's0', 'pending', 1, 1, 0); " +
                "INSERT INTO hyopps.attempts (execution_id, step_idx, step_id, run, number, started_at, outcome, error) VALUES ('old', 0, 's0', 1, 1, now(), 'failed', 'boom'); " +
                "INSERT INTO hyopps.attempts (execution_id, step_idx, step_id, run, number, worker_id, started_at, outcome) VALUES ('old', 0, 's0', 1, 2, 'dead', '2026-11-25 12:00:00.123456+00', 'running');",
                connection);
            await downgrade.ExecuteNonQueryAsync(Ct);
        }

        await using var migrated = PostgresStores.Create(connectionString);
        await migrated.InitializeAsync(Ct);
        var before = (await migrated.GetExecutionAsync("old", Ct))!.Attempts;
        Assert.Equal([("boom", null, AttemptOutcome.Failed), (null, null, AttemptOutcome.Running)], before.Select(a => (a.Error, a.Input, a.Outcome)));
        var claim = Assert.Single(await migrated.ClaimAsync(new ClaimRequest("w", DateTimeOffset.UtcNow.AddMinutes(1), TimeSpan.FromMinutes(1), 10), Ct));
        var left = Assert.Single(claim.RunningAttempts);
        Assert.Equal((2, "dead", new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero).AddTicks(1_234_560)), (left.Number, left.WorkerId, left.StartedAt));
        Assert.True(await migrated.CommitAsync(new ExecutionCommit
        {
            Execution = claim.Execution,
            ExpectedFencingToken = claim.Execution.FencingToken,
            Attempts =
            [
                left with { Outcome = AttemptOutcome.Abandoned, EndedAt = left.StartedAt },
                before[0] with { Number = 3, Outcome = AttemptOutcome.Succeeded, Error = null, Input = "{\"email\":\"a@b.example\"}" },
            ],
        }, Ct));
        var attempts = (await migrated.GetExecutionAsync("old", Ct))!.Attempts;
        Assert.Equal([(1, null), (2, null), (3, "{\"email\":\"a@b.example\"}")], attempts.Select(a => (a.Number, a.Input)));
        Assert.Equal(AttemptOutcome.Abandoned, attempts[1].Outcome);

        // Version 3 dropped the partial index of running attempts, so that an attempt's end can be a heap-only update.
        await using var check = new NpgsqlConnection(connectionString);
        await check.OpenAsync(Ct);
        await using var index = new NpgsqlCommand("SELECT count(*) FROM pg_indexes WHERE schemaname = 'hyopps' AND indexname = 'ix_attempts_running'", check);
        Assert.Equal(0L, await index.ExecuteScalarAsync(Ct));
    }

    [Fact]
    public async Task Initialize_SchemaNewerThanThePackage_FailsNamingBothVersions()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using (var store = PostgresStores.Create(connectionString))
        {
            await store.InitializeAsync(Ct);
        }

        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(Ct);
            await using var bump = new NpgsqlCommand("UPDATE hyopps.schema_version SET version = 99", connection);
            await bump.ExecuteNonQueryAsync(Ct);
        }

        await using var newer = PostgresStores.Create(connectionString);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await newer.InitializeAsync(Ct));
        Assert.Contains("version 99", error.Message, StringComparison.Ordinal);
        Assert.Contains($"({PostgresSchema.LatestVersion})", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_Unleased_WakesTheListenersOfOtherHostsButNotItsOwn()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var a = PostgresStores.Create(connectionString);
        await using var b = PostgresStores.Create(connectionString);
        await a.InitializeAsync(Ct);
        await b.InitializeAsync(Ct);
        var wakesA = new WakeCounter();
        var wakesB = new WakeCounter();
        await using (a.Subscribe(wakesA.Wake))
        await using (b.Subscribe(wakesB.Wake))
        {
            // Each listener calls back once when it connects, for work announced while it was not listening.
            await wakesA.WaitForAsync(1);
            await wakesB.WaitForAsync(1);

            await b.CreateExecutionAsync(NewExecution("e1"), [], [], Ct);
            await wakesA.WaitForAsync(2);

            // A leased start runs on its own host: nobody else is woken for it. The next unleased one shows that B's
            // own announcement does not reach B, while A hears both of its turns.
            await b.CreateExecutionAsync(NewExecution("e2") with { LeaseOwner = "B", LeaseExpiresAt = T0.AddMinutes(1) }, [], [], Ct);
            await b.CreateExecutionAsync(NewExecution("e3"), [], [], Ct);
            await wakesA.WaitForAsync(3);
            Assert.Equal(3, wakesA.Count);
            Assert.Equal(1, wakesB.Count);
        }
    }

    [Fact]
    public async Task Listener_ConnectionKilled_ReconnectsAndWakesAgain()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var a = PostgresStores.Create(connectionString);
        await using var b = PostgresStores.Create(connectionString);
        await a.InitializeAsync(Ct);
        await b.InitializeAsync(Ct);
        var wakes = new WakeCounter();
        await using (a.Subscribe(wakes.Wake))
        {
            await wakes.WaitForAsync(1);
            await using (var admin = new NpgsqlConnection(connectionString))
            {
                await admin.OpenAsync(Ct);
                await using var kill = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()", admin);
                Assert.Equal(1L, await kill.ExecuteScalarAsync(Ct));
            }

            // The reconnection's own wake-up, then a notification through the new connection.
            await wakes.WaitForAsync(2);
            await b.CreateExecutionAsync(NewExecution("e1"), [], [], Ct);
            await wakes.WaitForAsync(3);
        }
    }

    [Fact]
    public async Task Commit_ReleasingARunnableExecution_WakesOtherHosts()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var a = PostgresStores.Create(connectionString);
        await using var b = PostgresStores.Create(connectionString);
        await a.InitializeAsync(Ct);
        await b.InitializeAsync(Ct);
        var created = await b.CreateExecutionAsync(NewExecution("e1") with { LeaseOwner = "B", LeaseExpiresAt = T0.AddMinutes(1) }, [], [], Ct);
        var wakes = new WakeCounter();
        await using (a.Subscribe(wakes.Wake))
        {
            await wakes.WaitForAsync(1);

            // B stops (a graceful shutdown): it hands the execution back, and A hears of it at once.
            Assert.True(await b.CommitAsync(new ExecutionCommit { Execution = created.Execution with { LeaseOwner = null, LeaseExpiresAt = null }, ExpectedFencingToken = 0 }, Ct));
            await wakes.WaitForAsync(2);
            Assert.Single(await a.ClaimAsync(new ClaimRequest("A", T0, TimeSpan.FromMinutes(1), 10), Ct));
        }
    }

    [Fact]
    public async Task Commits_ArrivingTogether_ShareBatches()
    {
        await using var store = PostgresStores.Create(await postgres.CreateDatabaseAsync());
        await store.InitializeAsync(Ct);
        var ids = Enumerable.Range(0, 400).Select(i => $"e{i:D3}").ToArray();
        await Task.WhenAll(ids.Select(id => store.CreateExecutionAsync(NewExecution(id), [new StepRecord { ExecutionId = id, Index = 0, StepId = "s0" }], [], Ct).AsTask()));
        var before = store.WriterCounters;
        var claims = await store.ClaimAsync(new ClaimRequest("A", T0, TimeSpan.FromMinutes(1), 1000), Ct);

        var results = await Task.WhenAll(claims.Select(c => store.CommitAsync(new ExecutionCommit
        {
            Execution = c.Execution with { Status = ExecutionStatus.Succeeded, LeaseOwner = null, LeaseExpiresAt = null },
            ExpectedFencingToken = c.Execution.FencingToken,
            Steps = [c.Steps[0] with { Status = StepStatus.Succeeded }],
        }, Ct).AsTask()));

        Assert.Equal(400, results.Count(r => r));
        var after = store.WriterCounters;
        Assert.Equal(400, after.Operations - before.Operations);
        Assert.True(after.Batches - before.Batches < 100, $"{after.Batches - before.Batches} batches for 400 commits");
        Assert.Equal(400, (await store.ListExecutionsAsync(new ExecutionQuery { Statuses = [ExecutionStatus.Succeeded], Limit = 1 }, Ct)).Total);
    }

    [Fact]
    public async Task Commits_SharingOneStatement_EachRowKeepsItsFencingGuard()
    {
        // One batch at a time: the first commit goes alone and waits for a row lock held below, so that the two issued
        // meanwhile share the next batch.
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var store = PostgresStores.Create(connectionString, maxConcurrentBatches: 1);
        await store.InitializeAsync(Ct);
        var claims = await ClaimThreeAsync(store);
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            // Another host claimed b after A's lease expired: A's token for it is stale.
            await connection.OpenAsync(Ct);
            await using var reclaim = new NpgsqlCommand("UPDATE hyopps.executions SET fencing_token = fencing_token + 1, lease_owner = 'B' WHERE id = 'b'", connection);
            await reclaim.ExecuteNonQueryAsync(Ct);
        }

        var before = store.WriterCounters;
        await using var holder = new NpgsqlConnection(connectionString);
        await using var hold = await LockRowAsync(holder, "a");

        var first = store.CommitAsync(StepDone(claims["a"], withAttempt: true), Ct).AsTask();
        await Eventually.UntilAsync(() => WaitingForLockAsync(connectionString), waiting => waiting, "the first commit to wait for the row lock");
        var stale = store.CommitAsync(StepDone(claims["b"], withAttempt: true), Ct).AsTask();
        var fresh = store.CommitAsync(StepDone(claims["c"], withAttempt: true), Ct).AsTask();
        await hold.CommitAsync(Ct);

        var committed = await Task.WhenAll(first, stale, fresh);

        Assert.Equal([true, false, true], committed);
        var after = store.WriterCounters;
        Assert.Equal((3L, 2L, 2L), (after.Operations - before.Operations, after.Batches - before.Batches, after.Statements - before.Statements));
        var b = (await store.GetExecutionAsync("b", Ct))!;
        Assert.Equal((0, "B", StepStatus.Pending, 0), (b.Execution.CurrentStepIndex, b.Execution.LeaseOwner, b.Steps[0].Status, b.Attempts.Count));
        var c = (await store.GetExecutionAsync("c", Ct))!;
        Assert.Equal((1, StepStatus.Succeeded, "{\"by\":\"A\"}"), (c.Execution.CurrentStepIndex, c.Steps[0].Status, c.Steps[0].Output));
        Assert.Equal(AttemptOutcome.Succeeded, Assert.Single(c.Attempts).Outcome);
    }

    [Fact]
    public async Task Commits_OfOneExecutionInOneBatch_KeepTheirOrder_TheLaterPlainCommitSharesNoStatement()
    {
        // An operator's cancel of c and, after it, the runner's commit of c's step with the token the cancel revoked: in one
        // batch beside b's plain commit, c's commit must still run after the cancel (and be refused), not join b's statement
        // ahead of it.
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var store = PostgresStores.Create(connectionString, maxConcurrentBatches: 1);
        await store.InitializeAsync(Ct);
        var claims = await ClaimThreeAsync(store);
        var cancel = new ExecutionCommit
        {
            Execution = claims["c"].Execution with { Status = ExecutionStatus.Cancelled, LeaseOwner = null, LeaseExpiresAt = null, UpdatedAt = T0.AddSeconds(1), CompletedAt = T0.AddSeconds(1) },
            ExpectedVersion = claims["c"].Execution.Version,
            RevokeLease = true,
            Audit = [new AuditRecord { ExecutionId = "c", At = T0.AddSeconds(1), Actor = "operator", Action = "cancel" }],
        };

        await using var holder = new NpgsqlConnection(connectionString);
        await using var hold = await LockRowAsync(holder, "a");

        var first = store.CommitAsync(StepDone(claims["a"]), Ct).AsTask();
        await Eventually.UntilAsync(() => WaitingForLockAsync(connectionString), waiting => waiting, "the first commit to wait for the row lock");
        var plainB = store.CommitAsync(StepDone(claims["b"]), Ct).AsTask();
        var cancelled = store.CommitAsync(cancel, Ct).AsTask();
        var lateC = store.CommitAsync(StepDone(claims["c"]), Ct).AsTask();
        await hold.CommitAsync(Ct);

        var committed = await Task.WhenAll(first, plainB, cancelled, lateC);
        Assert.Equal([true, true, true, false], committed);
        var c = (await store.GetExecutionAsync("c", Ct))!;
        Assert.Equal((ExecutionStatus.Cancelled, 0, StepStatus.Pending), (c.Execution.Status, c.Execution.CurrentStepIndex, c.Steps[0].Status));
    }

    [Fact]
    public async Task Commit_OneFailingInABatch_FailsAloneAndTheOthersCommit()
    {
        await using var store = PostgresStores.Create(await postgres.CreateDatabaseAsync());
        await store.InitializeAsync(Ct);
        await store.CreateExecutionAsync(NewExecution("dup"), [], [], Ct);

        // The same id twice is a primary key violation: that start fails, the ones beside it in the batch do not.
        var starts = Enumerable.Range(0, 50).Select(i => store.CreateExecutionAsync(NewExecution(i == 25 ? "dup" : $"e{i}"), [], [], Ct).AsTask()).ToArray();
        await Assert.ThrowsAsync<PostgresException>(() => starts[25]);
        Assert.All(starts.Where((_, i) => i != 25), t => Assert.True(t.Result.Created));
    }

    [Theory]
    [InlineData("", "ConnectionStrings:HyOpps")]
    [InlineData("Host=127.0.0.1;Bogus=1", "HyOpps:Postgres:ConnectionString")]
    public void Options_MissingOrMalformedConnectionString_FailsNamingTheKeys(string connectionString, string key)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new Dictionary<string, string?> { ["ConnectionStrings:HyOpps"] = connectionString }));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HyOpps:Postgres:Schema", "Bad-Schema", "HyOpps:Postgres:Schema")]
    [InlineData("HyOpps:Postgres:MaxBatchSize", "0", "HyOpps:Postgres:MaxBatchSize")]
    [InlineData("HyOpps:Postgres:MaxConcurrentBatches", "0", "HyOpps:Postgres:MaxConcurrentBatches")]
    public void Options_BadSetting_FailsNamingTheKey(string setting, string value, string key)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new Dictionary<string, string?>
        {
            ["ConnectionStrings:HyOpps"] = "Host=127.0.0.1;Database=x",
            [setting] = value,
        }));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_UnknownKey_Fails()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Resolve(new Dictionary<string, string?>
        {
            ["ConnectionStrings:HyOpps"] = "Host=127.0.0.1;Database=x",
            ["HyOpps:Postgres:Shema"] = "x",
        }));
        Assert.Contains("Shema", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UsePostgres_Overloads_ComposeOverTheConfiguration()
    {
        var configured = Options(new Dictionary<string, string?> { ["ConnectionStrings:HyOpps"] = "Host=a;Database=x", ["HyOpps:Postgres:Schema"] = "app" }, b => b.UsePostgres());
        Assert.Equal(("Host=a;Database=x", "app"), (configured.ConnectionString, configured.Schema));

        var byString = Options(new Dictionary<string, string?> { ["ConnectionStrings:HyOpps"] = "Host=a;Database=x" }, b => b.UsePostgres("Host=b;Database=y"));
        Assert.Equal(("Host=b;Database=y", "hyopps"), (byString.ConnectionString, byString.Schema));

        var byCode = Options([], b => b.UsePostgres(o => (o.ConnectionString, o.MaxBatchSize) = ("Host=c;Database=z", 32)));
        Assert.Equal(("Host=c;Database=z", 32), (byCode.ConnectionString, byCode.MaxBatchSize));

        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddHyOpps().UsePostgres(" "));
    }

    [Fact]
    public void UsePostgres_ReplacesAnyOtherStore()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddHyOpps().UseSqlite("Data Source=x.db").UsePostgres("Host=127.0.0.1;Database=x");
        Assert.IsType<PostgresWorkflowStore>(Assert.Single(services, d => d.ServiceType == typeof(IWorkflowStore) && !d.IsKeyedService).ImplementationFactory!(services.BuildServiceProvider()));
    }

    private static PostgresStoreOptions Options(Dictionary<string, string?> settings, Action<IHyOppsBuilder> use)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        use(services.AddHyOpps());
        return services.BuildServiceProvider().GetRequiredService<IOptions<PostgresStoreOptions>>().Value;
    }

    private static void Resolve(Dictionary<string, string?> settings) => Options(settings, b => b.UsePostgres());

    private static async Task<Dictionary<string, ClaimedExecution>> ClaimThreeAsync(PostgresWorkflowStore store)
    {
        foreach (var id in new[] { "a", "b", "c" })
        {
            await store.CreateExecutionAsync(NewExecution(id), [new StepRecord { ExecutionId = id, Index = 0, StepId = "s0" }, new StepRecord { ExecutionId = id, Index = 1, StepId = "s1" }], [], Ct);
        }

        return (await store.ClaimAsync(new ClaimRequest("A", T0, TimeSpan.FromMinutes(1), 10), Ct)).ToDictionary(c => c.Execution.Id);
    }

    /// <summary>Worker A's commit of step 0 of a claimed execution, moving it on to step 1.</summary>
    private static ExecutionCommit StepDone(ClaimedExecution c, bool withAttempt = false) => new()
    {
        Execution = c.Execution with { Status = ExecutionStatus.Running, CurrentStepIndex = 1, UpdatedAt = T0.AddSeconds(1) },
        ExpectedFencingToken = c.Execution.FencingToken,
        Steps = [c.Steps[0] with { Status = StepStatus.Succeeded, Output = "{\"by\":\"A\"}" }],
        Attempts = withAttempt
            ? [new AttemptRecord { ExecutionId = c.Execution.Id, StepIndex = 0, StepId = "s0", Run = 1, Number = 1, WorkerId = "A", StartedAt = T0, EndedAt = T0.AddSeconds(1), Outcome = AttemptOutcome.Succeeded }]
            : [],
    };

    private sealed class WakeCounter
    {
        private readonly Lock _lock = new();
        private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Wake()
        {
            lock (_lock)
            {
                _count++;
                foreach (var waiter in _waiters.Where(w => w.Count <= _count))
                {
                    waiter.Reached.TrySetResult();
                }
            }
        }

        public Task WaitForAsync(int count)
        {
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_lock)
            {
                if (_count >= count)
                {
                    return Task.CompletedTask;
                }

                _waiters.Add((count, reached));
            }

            return reached.Task.WaitAsync(Bound, Ct);
        }
    }
}
