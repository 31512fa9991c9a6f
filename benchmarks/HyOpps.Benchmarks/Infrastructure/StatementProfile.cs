using System.Globalization;
using System.Text;
using Npgsql;

namespace HyOpps.Benchmarks.Infrastructure;

/// <summary>
/// The server's time per statement (<c>pg_stat_statements</c>, planning included) over one run, per step: where the server's
/// share of a step goes. Only with <c>--statements</c>, which loads the extension into the benchmark's cluster.
/// </summary>
internal static class StatementProfile
{
    public const string ServerSettings = "-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track_planning=on";

    public static async Task ResetAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset()", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Describes the statements that took the most server time, per step.</summary>
    public static async Task<string> DescribeAsync(string connectionString, int steps, int top = 10)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT calls, total_plan_time, total_exec_time, plans, rows, query FROM pg_stat_statements " +
            "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) " +
            "ORDER BY total_plan_time + total_exec_time DESC LIMIT $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = top });
        await using var reader = await command.ExecuteReaderAsync();
        var text = new StringBuilder();
        while (await reader.ReadAsync())
        {
            var query = reader.GetString(5).ReplaceLineEndings(" ");
            text.Append(CultureInfo.InvariantCulture,
                $"\n    {(reader.GetDouble(1) + reader.GetDouble(2)) * 1000 / steps,6:F1} µs/step (plan {reader.GetDouble(1) * 1000 / steps:F1}, {reader.GetInt64(3)} plans), " +
                $"{(double)reader.GetInt64(0) / steps:F3} calls/step, {reader.GetInt64(4)} rows: {query[..Math.Min(110, query.Length)]}");
        }

        return text.ToString();
    }
}
