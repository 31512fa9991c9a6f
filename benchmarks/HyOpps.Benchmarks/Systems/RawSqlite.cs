using System.Diagnostics;
using HyOpps.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace HyOpps.Benchmarks.Systems;

/// <summary>The ceiling: raw single-row SQLite commits on one connection, with the store's file settings (WAL, the same synchronous).</summary>
internal static class RawSqlite
{
    /// <summary>Commits one single-row insert per transaction for <paramref name="duration"/>; returns commits per second.</summary>
    public static double CommitsPerSecond(string path, SqliteSynchronousMode synchronous, TimeSpan duration, int rowsPerTransaction = 1)
    {
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        using (var setup = connection.CreateCommand())
        {
            setup.CommandText = $"PRAGMA journal_mode=WAL; PRAGMA synchronous={(synchronous == SqliteSynchronousMode.Full ? "FULL" : "NORMAL")}; " +
                "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT NOT NULL);";
            setup.ExecuteNonQuery();
        }

        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO t (v) VALUES (@v)";
        var parameter = insert.Parameters.Add("@v", SqliteType.Text);
        parameter.Value = "a row of a benchmark, about as long as a step's status update";
        insert.Prepare();

        // Warm-up, then measure.
        Run(50);
        var commits = 0L;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            Run(1);
            commits++;
        }

        return commits * rowsPerTransaction / clock.Elapsed.TotalSeconds;

        void Run(int transactions)
        {
            for (var t = 0; t < transactions; t++)
            {
                using var transaction = connection.BeginTransaction();
                insert.Transaction = transaction;
                for (var r = 0; r < rowsPerTransaction; r++)
                {
                    insert.ExecuteNonQuery();
                }

                transaction.Commit();
            }
        }
    }
}
