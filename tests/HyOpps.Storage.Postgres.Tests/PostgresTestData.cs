using HyOpps.Workflows;
using HyOpps.Workflows.Storage;
using Npgsql;

namespace HyOpps.Storage.Postgres.Tests;

/// <summary>What the test classes of this project share: the fixed start time, the test's token, a new execution, raw SQL reads and row locks.</summary>
internal static class PostgresTestData
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static ExecutionRecord NewExecution(string id) => new()
    {
        Id = id,
        WorkflowName = "wf",
        WorkflowVersion = 1,
        Status = ExecutionStatus.Pending,
        Input = "{}",
        CreatedAt = T0,
        UpdatedAt = T0,
    };

    /// <summary>The first column of every row <paramref name="sql"/> returns, read past the store.</summary>
    public static async Task<List<object>> ScalarsAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var values = new List<object>();
        while (await reader.ReadAsync(Ct))
        {
            values.Add(reader.GetValue(0));
        }

        return values;
    }

    /// <summary>Takes the row lock of an execution in a transaction of <paramref name="connection"/>, held until it ends.</summary>
    public static async Task<NpgsqlTransaction> LockRowAsync(NpgsqlConnection connection, string executionId)
    {
        await connection.OpenAsync(Ct);
        var transaction = await connection.BeginTransactionAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT 1 FROM hyopps.executions WHERE id = $1 FOR UPDATE", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = executionId });
        await command.ExecuteScalarAsync(Ct);
        return transaction;
    }

    public static async Task<bool> WaitingForLockAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", connection);
        return (long)(await command.ExecuteScalarAsync(Ct))! > 0;
    }
}
