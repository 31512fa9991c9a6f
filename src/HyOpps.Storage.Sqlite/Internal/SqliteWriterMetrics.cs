using System.Diagnostics.Metrics;
using HyOpps.Workflows;

namespace HyOpps.Storage.Sqlite.Internal;

/// <summary>The writer's group-commit figures, reported through the runtime's meter and tagged with the database file.</summary>
internal sealed class SqliteWriterMetrics(string database)
{
    private static readonly Meter Meter = new(HyOppsTelemetry.MeterName);

    private static readonly Counter<long> Transactions = Meter.CreateCounter<long>("hyopps.sqlite.transactions", description: "Transactions the SQLite store's writer committed.");

    private static readonly Histogram<long> WritesPerTransaction = Meter.CreateHistogram<long>("hyopps.sqlite.writes_per_transaction", description: "Writes (commits, claims, creations) grouped into one transaction.");

    private static readonly Counter<double> BusyTime = Meter.CreateCounter<double>("hyopps.sqlite.writer_busy_time", unit: "s", description: "Time the SQLite store's writer spent running batches.");

    private readonly KeyValuePair<string, object?> _database = new("hyopps.sqlite.database", database);

    public void Committed(int writes)
    {
        Transactions.Add(1, _database);
        WritesPerTransaction.Record(writes, _database);
    }

    public void Busy(TimeSpan time) => BusyTime.Add(time.TotalSeconds, _database);
}
