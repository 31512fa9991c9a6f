using HyOpps.Workflows;
using HyOpps.Workflows.Storage;
using Npgsql;

namespace HyOpps.Storage.Postgres.Tests;

/// <summary>What the test classes of this project share: the fixed start time, the test's token, a new execution, raw SQL reads.</summary>
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
}
