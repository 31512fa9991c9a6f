using System.Collections.Concurrent;
using Hangfire;
using Hangfire.Storage.SQLite;

namespace HyOpps.Benchmarks.Systems;

/// <summary>Hangfire on its SQLite storage: an execution is a chain of continuations, one job per step.</summary>
internal sealed class HangfireSystem : IDisposable
{
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Waiting = new(StringComparer.Ordinal);
    private readonly BackgroundJobServer _server;
    private readonly SQLiteStorage _storage;
    private readonly BackgroundJobClient _client;
    private int _batch;

    private HangfireSystem(SQLiteStorage storage, BackgroundJobServer server, int steps, int workers)
    {
        _storage = storage;
        _server = server;
        _client = new BackgroundJobClient(storage);
        Steps = steps;
        Workers = workers;
    }

    public int Steps { get; }

    public int Workers { get; }

    public static HangfireSystem Start(string databasePath, int steps, int workers, TimeSpan queuePollInterval)
    {
        var storage = new SQLiteStorage(databasePath, new SQLiteStorageOptions { QueuePollInterval = queuePollInterval });
        var server = new BackgroundJobServer(
            new BackgroundJobServerOptions { WorkerCount = workers, SchedulePollingInterval = TimeSpan.FromSeconds(1) },
            storage);
        return new HangfireSystem(storage, server, steps, workers);
    }

    public Task<BatchResult> RunBatchAsync(int count)
    {
        var batch = Interlocked.Increment(ref _batch);
        return BatchResult.MeasureAsync(count, Steps, async i =>
        {
            var execution = $"{batch}-{i}";
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Waiting[execution] = done;
            var last = Steps - 1;
            var id = _client.Enqueue(() => Step(execution, 0, last));
            for (var s = 1; s < Steps; s++)
            {
                var index = s;
                id = _client.ContinueJobWith(id, () => Step(execution, index, last));
            }

            await done.Task.ConfigureAwait(false);
        });
    }

    /// <summary>The job of one step; the last step of a chain completes its execution.</summary>
    public static void Step(string execution, int index, int last)
    {
        if (index == last && Waiting.TryRemove(execution, out var done))
        {
            done.TrySetResult();
        }
    }

    public void Dispose()
    {
        _server.Dispose();
        _storage.Dispose();
    }
}
