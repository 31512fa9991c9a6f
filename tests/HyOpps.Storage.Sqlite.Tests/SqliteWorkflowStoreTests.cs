using HyOpps.Storage.Sqlite.Internal;
using HyOpps.TestUtilities;
using HyOpps.Workflows;
using HyOpps.Workflows.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace HyOpps.Storage.Sqlite.Tests;

public sealed class SqliteWorkflowStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Initialize_DatabaseAtSchemaVersion1_MigratesAndKeepsData()
    {
        using var database = new TestDatabase();
        using (var connection = new SqliteConnection(database.ConnectionString))
        {
            connection.Open();
            SqliteSchema.Migrate(connection, targetVersion: 1);
            using var insert = connection.CreateCommand();
            insert.CommandText =
                "INSERT INTO executions (id, workflow_name, workflow_version, status, input, labels, current_step, created_at, updated_at, next_run_at, fencing_token, version) " +
                $"VALUES ('old', 'wf', 1, 'pending', '{{}}', '{{\"org\":\"7\"}}', 0, {T0.ToUnixTimeMilliseconds()}, {T0.ToUnixTimeMilliseconds()}, {T0.AddMinutes(3).ToUnixTimeMilliseconds()}, 0, 1);" +
                "INSERT INTO steps (execution_id, idx, step_id, status, run, attempts) VALUES ('old', 0, 's0', 'pending', 1, 0);";
            insert.ExecuteNonQuery();
        }

        await using var store = new SqliteWorkflowStore(new SqliteStoreOptions { ConnectionString = database.ConnectionString });
        await store.InitializeAsync(Ct);

        var snapshot = await store.GetExecutionAsync("old", Ct);
        Assert.NotNull(snapshot);
        Assert.Equal(("s0", 0), (Assert.Single(snapshot.Steps).StepId, snapshot.Steps[0].AbandonedAttempts));
        Assert.Null(snapshot.Execution.TraceParent);
        Assert.Equal("old", Assert.Single((await store.ListExecutionsAsync(new ExecutionQuery { Labels = new Dictionary<string, string> { ["org"] = "7" } }, Ct)).Items).Id);
        Assert.Empty(await store.ClaimAsync(new ClaimRequest("w", T0.AddMinutes(2), TimeSpan.FromMinutes(1), 10), Ct));
        Assert.Single(await store.ClaimAsync(new ClaimRequest("w", T0.AddMinutes(3), TimeSpan.FromMinutes(1), 10), Ct));
        using var check = new SqliteConnection(database.ConnectionString);
        check.Open();
        Assert.Equal(SqliteSchema.LatestVersion, SqliteSchema.ReadVersion(check));
    }

    [Fact]
    public async Task Initialize_DatabaseAtSchemaVersion5_AddsAttemptInputsAndKeepsEarlierAttempts()
    {
        using var database = new TestDatabase();
        using (var connection = new SqliteConnection(database.ConnectionString))
        {
            connection.Open();
            SqliteSchema.Migrate(connection, targetVersion: 5);
            using var insert = connection.CreateCommand();
            insert.CommandText =
                "INSERT INTO executions (id, workflow_name, workflow_version, status, input, labels, current_step, created_at, updated_at, fencing_token, version) " +
                $"VALUES ('old', 'wf', 1, 'pending', '{{}}', '{{}}', 0, {T0.ToUnixTimeMilliseconds()}, {T0.ToUnixTimeMilliseconds()}, 0, 1);" +
                "INSERT INTO steps (execution_id, idx, step_id, status, run, attempts) VALUES ('old', 0, 's0', 'pending', 1, 1);" +
                "INSERT INTO attempts (execution_id, step_idx, step_id, run, number, started_at, ended_at, outcome, error) " +
                $"VALUES ('old', 0, 's0', 1, 1, {T0.ToUnixTimeMilliseconds()}, {T0.ToUnixTimeMilliseconds()}, 'failed', 'boom');";
            insert.ExecuteNonQuery();
        }

        await using var store = new SqliteWorkflowStore(new SqliteStoreOptions { ConnectionString = database.ConnectionString });
        await store.InitializeAsync(Ct);

        var before = Assert.Single((await store.GetExecutionAsync("old", Ct))!.Attempts);
        Assert.Equal(("boom", null), (before.Error, before.Input));
        var claim = Assert.Single(await store.ClaimAsync(new ClaimRequest("w", T0, TimeSpan.FromMinutes(1), 10), Ct));
        Assert.True(await store.CommitAsync(new ExecutionCommit
        {
            Execution = claim.Execution,
            ExpectedFencingToken = claim.Execution.FencingToken,
            Attempts = [before with { Number = 2, Outcome = AttemptOutcome.Succeeded, Error = null, Input = "{\"email\":\"a@b.example\"}" }],
        }, Ct));
        var attempts = (await store.GetExecutionAsync("old", Ct))!.Attempts;
        Assert.Equal([null, "{\"email\":\"a@b.example\"}"], attempts.Select(a => a.Input));
    }

    [Fact]
    public async Task Initialize_NewerSchema_FailsNamingVersions()
    {
        using var database = new TestDatabase();
        using (var connection = new SqliteConnection(database.ConnectionString))
        {
            connection.Open();
            SqliteSchema.Migrate(connection, SqliteSchema.LatestVersion);
            using var bump = connection.CreateCommand();
            bump.CommandText = "UPDATE hyopps_schema SET version = 99";
            bump.ExecuteNonQuery();
        }

        await using var store = new SqliteWorkflowStore(new SqliteStoreOptions { ConnectionString = database.ConnectionString });
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.InitializeAsync(Ct));
        Assert.Contains("schema version 99", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_SchemaOlderThanThisVersion_IsNotCurrent()
    {
        using var database = new TestDatabase();
        await using var store = new SqliteWorkflowStore(new SqliteStoreOptions { ConnectionString = database.ConnectionString });
        await store.InitializeAsync(Ct);
        Assert.True((await store.GetStatusAsync(new WorkflowStoreStatusRequest(T0, T0), Ct)).SchemaCurrent);
        using (var connection = new SqliteConnection(database.ConnectionString))
        {
            connection.Open();
            using var lower = connection.CreateCommand();
            lower.CommandText = "UPDATE hyopps_schema SET version = 3";
            lower.ExecuteNonQuery();
        }

        Assert.False((await store.GetStatusAsync(new WorkflowStoreStatusRequest(T0, T0), Ct)).SchemaCurrent);
    }

    [Fact]
    public async Task Initialize_SetsWalMode()
    {
        using var database = new TestDatabase();
        await using var store = new SqliteWorkflowStore(new SqliteStoreOptions { ConnectionString = database.ConnectionString });
        await store.InitializeAsync(Ct);

        using var connection = new SqliteConnection(database.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar());
    }

    [Theory]
    [InlineData("Data Source=")]
    [InlineData("Nonsense Key=1")]
    public void UseSqlite_BadConnectionString_ThrowsNamingIt(string connectionString)
    {
        var services = new ServiceCollection();
        var ex = Assert.Throws<ArgumentException>(() => services.AddHyOpps().UseSqlite(connectionString));
        Assert.Contains("connection string", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void UseSqlite_ReplacesStore()
    {
        var services = new ServiceCollection();
        services.AddHyOpps().UseSqlite("Data Source=a.db").UseSqlite("Data Source=b.db");
        Assert.Single(services, d => d.ServiceType == typeof(IWorkflowStore) && !d.IsKeyedService);
    }

    [Fact]
    public async Task Writes_ArrivingWhileOneCommits_AreGroupedIntoOneTransaction()
    {
        using var database = new TestDatabase();
        await using var writer = await OpenWriterAsync(database);
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var first = Task.Run(() => writer.WriteAsync(w =>
        {
            entered.Set();
            release.Wait(Ct);
            return Insert(w, -1);
        }, Ct), Ct);
        entered.Wait(Ct);

        var queued = Enumerable.Range(0, 100).Select(i => writer.WriteAsync(w => Insert(w, i), Ct)).ToArray();
        Assert.All(queued, t => Assert.False(t.IsCompleted));
        release.Set();
        await first;
        await Task.WhenAll(queued);

        Assert.Equal(2, writer.Transactions);
        Assert.Equal(101, writer.Operations);
    }

    [Fact]
    public async Task Dispose_WithWritesQueued_CommitsThemAndRefusesLaterWrites()
    {
        using var database = new TestDatabase();
        var writer = await OpenWriterAsync(database);
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var first = Task.Run(() => writer.WriteAsync(w =>
        {
            entered.Set();
            release.Wait(Ct);
            return Insert(w, -1);
        }, Ct), Ct);
        entered.Wait(Ct);
        var queued = Enumerable.Range(0, 10).Select(i => writer.WriteAsync(w => Insert(w, i), Ct)).ToArray();

        var disposing = writer.DisposeAsync().AsTask();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => writer.WriteAsync(w => Insert(w, 99), Ct));
        release.Set();
        await first;
        await Task.WhenAll(queued);
        await disposing;

        await using var check = new SqliteConnection(database.ConnectionString);
        await check.OpenAsync(Ct);
        using var count = check.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM t";
        Assert.Equal(11L, (long)(await count.ExecuteScalarAsync(Ct))!);
    }

    [Fact]
    public async Task Write_WriterIdle_CommitsOnTheCallersThreadBeforeReturning()
    {
        using var database = new TestDatabase();
        await using var writer = await OpenWriterAsync(database);

        var write = writer.WriteAsync(w => Insert(w, 1), Ct);

        Assert.True(write.IsCompletedSuccessfully);
        Assert.Equal(1, writer.Transactions);
        await write;
    }

    [Fact]
    public async Task Write_OneFailingInBatch_OthersStillCommit()
    {
        using var database = new TestDatabase();
        await using var store = new SqliteWorkflowStore(new SqliteStoreOptions { ConnectionString = database.ConnectionString });
        await store.InitializeAsync(Ct);
        var good = Enumerable.Range(0, 20).Select(i => store.CreateExecutionAsync(
            new ExecutionRecord { Id = $"e{i}", WorkflowName = "wf", WorkflowVersion = 1, Status = ExecutionStatus.Pending, Input = "{}", CreatedAt = T0, UpdatedAt = T0 },
            [], [], Ct).AsTask()).ToList();
        var duplicate = store.CreateExecutionAsync(
            new ExecutionRecord { Id = "e0", WorkflowName = "wf", WorkflowVersion = 1, Status = ExecutionStatus.Pending, Input = "{}", CreatedAt = T0, UpdatedAt = T0 },
            [], [], Ct).AsTask();

        await Task.WhenAll(good);
        await Assert.ThrowsAsync<SqliteException>(() => duplicate);
        Assert.Equal(20, (await store.ListExecutionsAsync(new ExecutionQuery(), Ct)).Total);
    }

    private static async Task<SqliteWriter> OpenWriterAsync(TestDatabase database)
    {
        var connection = new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync(Ct);
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE t (x INTEGER NOT NULL)";
            await create.ExecuteNonQueryAsync(Ct);
        }

        return new SqliteWriter(connection, maxBatch: 512);
    }

    private static int Insert(WriteContext w, long x) => w.Statement("INSERT INTO t (x) VALUES (@x)").Bind("@x", x).Execute();
}
