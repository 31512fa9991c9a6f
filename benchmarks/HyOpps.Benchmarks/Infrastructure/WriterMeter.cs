using System.Diagnostics.Metrics;
using HyOpps.Workflows;

namespace HyOpps.Benchmarks.Infrastructure;

/// <summary>Sums the SQLite writer's group-commit figures of one database file, read from the runtime's meter.</summary>
internal sealed class WriterMeter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly string _database;
    private long _transactions;
    private long _writes;
    private double _busySeconds;

    public WriterMeter(string databasePath)
    {
        _database = Path.GetFileName(databasePath);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == HyOppsTelemetry.MeterName && instrument.Name.StartsWith("hyopps.sqlite.", StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (!Mine(tags))
            {
                return;
            }

            if (instrument.Name == "hyopps.sqlite.transactions")
            {
                Interlocked.Add(ref _transactions, value);
            }
            else if (instrument.Name == "hyopps.sqlite.writes_per_transaction")
            {
                Interlocked.Add(ref _writes, value);
            }
        });
        _listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            if (Mine(tags))
            {
                lock (_listener)
                {
                    _busySeconds += value;
                }
            }
        });
        _listener.Start();
    }

    public (long Transactions, long Writes, TimeSpan Busy) Read()
    {
        lock (_listener)
        {
            return (Interlocked.Read(ref _transactions), Interlocked.Read(ref _writes), TimeSpan.FromSeconds(_busySeconds));
        }
    }

    public void Dispose() => _listener.Dispose();

    private bool Mine(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "hyopps.sqlite.database")
            {
                return string.Equals(tag.Value as string, _database, StringComparison.Ordinal);
            }
        }

        return false;
    }
}
