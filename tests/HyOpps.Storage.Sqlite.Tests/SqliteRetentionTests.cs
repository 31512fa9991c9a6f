using HyOpps.Storage.Sqlite.Internal;
using HyOpps.TestUtilities;
using HyOpps.Workflows;
using HyOpps.Workflows.Storage;
using Microsoft.Data.Sqlite;

namespace HyOpps.Storage.Sqlite.Tests;

/// <summary>Retention on a SQLite file: deleted executions give their pages back (incremental auto-vacuum).</summary>
public sealed class SqliteRetentionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NewFile_IsIncrementalAutoVacuum_AndShrinksAfterManyExecutionsAreDeleted()
    {
        using var database = new TestDatabase();
        await using var store = new SqliteWorkflowStore(new SqliteStoreOptions { ConnectionString = database.ConnectionString });
        await store.InitializeAsync(Ct);
        Assert.Equal(2L, Pragma(database, "auto_vacuum"));  // 2 = INCREMENTAL
        await CreateFinishedAsync(store, 2_000, "old", T0.AddDays(-100));
        await CreateFinishedAsync(store, 50, "new", T0);
        var before = Pragma(database, "page_count");

        long deleted = 0;
        int batch;
        var request = new RetentionRequest { WorkflowName = "wf", Status = ExecutionStatus.Succeeded, FinishedBefore = T0.AddDays(-90), MaxCount = 300 };
        while ((batch = await store.DeleteFinishedExecutionsAsync(request, Ct)) > 0)
        {
            deleted += batch;
        }

        var after = Pragma(database, "page_count");
        Assert.Equal(2_000, deleted);
        Assert.True(after < before / 4, $"page_count went from {before} to {after} only.");
        Assert.True(Pragma(database, "freelist_count") < 16, "the free pages were not given back.");
        Assert.Equal(50, (await store.ListExecutionsAsync(new ExecutionQuery(), Ct)).Total);
    }

    [Fact]
    public async Task FileCreatedWithoutAutoVacuum_KeepsItsMode_AndRetentionStillDeletes()
    {
        using var database = new TestDatabase();
        using (var connection = new SqliteConnection(database.ConnectionString))
        {
            // A file of an earlier version: tables exist before this version's store first opens it.
            connection.Open();
            SqliteSchema.Migrate(connection, SqliteSchema.LatestVersion);
        }

        await using var store = new SqliteWorkflowStore(new SqliteStoreOptions { ConnectionString = database.ConnectionString });
        await store.InitializeAsync(Ct);
        Assert.Equal(0L, Pragma(database, "auto_vacuum"));
        await CreateFinishedAsync(store, 20, "old", T0.AddDays(-100));

        var request = new RetentionRequest { WorkflowName = "wf", Status = ExecutionStatus.Succeeded, FinishedBefore = T0.AddDays(-90) };
        Assert.Equal(20, await store.DeleteFinishedExecutionsAsync(request, Ct));
        Assert.Equal(0, (await store.ListExecutionsAsync(new ExecutionQuery(), Ct)).Total);
    }

    private static async Task CreateFinishedAsync(SqliteWorkflowStore store, int count, string prefix, DateTimeOffset finishedAt)
    {
        // Inputs and outputs of a few KiB, like real onboarding records, so the deleted rows span many pages.
        var input = $"{{\"notes\":\"{new string('x', 3_000)}\"}}";
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            var id = $"{prefix}-{i:D5}";
            var execution = new ExecutionRecord
            {
                Id = id, WorkflowName = "wf", WorkflowVersion = 1, Status = ExecutionStatus.Pending, Input = input,
                Labels = new Dictionary<string, string> { ["email"] = $"{id}@example.com" }, CreatedAt = finishedAt, UpdatedAt = finishedAt,
            };
            StepRecord[] steps = [new StepRecord { ExecutionId = id, Index = 0, StepId = "s0" }];
            await store.CreateExecutionAsync(execution, steps, [new AuditRecord { ExecutionId = id, At = finishedAt, Actor = "ops", Action = "start" }], Ct);
            await store.CommitAsync(new ExecutionCommit
            {
                Execution = execution with { Status = ExecutionStatus.Succeeded, CompletedAt = finishedAt, Version = 1 },
                ExpectedVersion = 1,
                Steps = [steps[0] with { Status = StepStatus.Succeeded, Output = input }],
                Attempts = [new AttemptRecord { ExecutionId = id, StepIndex = 0, StepId = "s0", Run = 1, Number = 1, StartedAt = finishedAt, EndedAt = finishedAt, Outcome = AttemptOutcome.Succeeded, Output = input }],
            }, Ct);
        }));
    }

    private static long Pragma(TestDatabase database, string name)
    {
        using var connection = new SqliteConnection(database.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name}";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
