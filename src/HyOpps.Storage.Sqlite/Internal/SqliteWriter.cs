using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace HyOpps.Storage.Sqlite.Internal;

/// <summary>The one writer of a database: queued writes are grouped into one transaction (group commit).</summary>
/// <remarks>
/// Several writer connections do not add throughput in SQLite and starve each other on busy retries, so every write
/// of this process goes through one connection; each caller's task completes only after its transaction committed.
/// There is no writer thread. While writes come one at a time, a caller that finds the writer idle runs its write
/// itself, so an uncontended write costs no thread hand-off. Writes that arrive meanwhile queue up and commit together
/// in the next transaction, run on a thread-pool thread so that the caller goes on; while writes keep arriving
/// together, every transaction is run that way.
/// </remarks>
internal sealed class SqliteWriter : IAsyncDisposable
{
    private readonly ConcurrentQueue<WriteOperation> _queue = new();
    private readonly SemaphoreSlim _exclusive = new(1, 1);
    private readonly SqliteConnection _connection;
    private readonly int _maxBatch;
    private readonly List<WriteOperation> _batch;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PreparedStatement> _statements = new(StringComparer.Ordinal);
    private readonly SqliteWriterMetrics _metrics;
    private int _lastBatchSize;
    private long _transactions;
    private long _operations;
    private volatile bool _disposed;
    private bool _closed;

    public SqliteWriter(SqliteConnection connection, int maxBatch)
    {
        _connection = connection;
        _metrics = new SqliteWriterMetrics(Path.GetFileName(connection.DataSource));
        _maxBatch = maxBatch;
        _batch = new List<WriteOperation>(maxBatch);
    }

    public long Transactions => Interlocked.Read(ref _transactions);

    public long Operations => Interlocked.Read(ref _operations);

    public Task<T> WriteAsync<T>(Func<WriteContext, T> write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposed, this);
        var operation = new WriteOperation<T>(write);
        _queue.Enqueue(operation);
        if (_exclusive.Wait(0, CancellationToken.None))
        {
            if (Volatile.Read(ref _lastBatchSize) <= 1)
            {
                DrainInline(operation);
            }
            else
            {
                // Writes are arriving together: the hand-off's short delay lets more of them join this transaction,
                // and a transaction of many writes costs little more than one of a single write.
                ScheduleDrain();
            }
        }

        return operation.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        await _exclusive.WaitAsync().ConfigureAwait(false);
        try
        {
            // Writes queued before the dispose still commit; none can queue after it.
            while (!_queue.IsEmpty)
            {
                RunOneBatch();
            }

            foreach (var command in _commands.Values)
            {
                command.Dispose();
            }

            foreach (var statement in _statements.Values)
            {
                statement.Dispose();
            }

            await _connection.DisposeAsync().ConfigureAwait(false);
            _closed = true;
        }
        finally
        {
            _exclusive.Release();
        }
    }

    private void DrainInline(WriteOperation own)
    {
        while (true)
        {
            RunOneBatch();
            if (_queue.IsEmpty)
            {
                Release();
                return;
            }

            if (own.IsCompleted)
            {
                ScheduleDrain();
                return;
            }
        }
    }

    private void DrainInBackground()
    {
        while (!_queue.IsEmpty)
        {
            RunOneBatch();
        }

        Release();
    }

    private void Release()
    {
        _exclusive.Release();

        // A write queued after the last look at the queue found the writer held and left its write to the holder.
        if (!_queue.IsEmpty && _exclusive.Wait(0))
        {
            ScheduleDrain();
        }
    }

    private void ScheduleDrain() => ThreadPool.UnsafeQueueUserWorkItem(static writer => writer.DrainInBackground(), this, preferLocal: false);

    private void RunOneBatch()
    {
        _batch.Clear();
        while (_batch.Count < _maxBatch && _queue.TryDequeue(out var operation))
        {
            _batch.Add(operation);
        }

        if (_batch.Count == 0)
        {
            return;
        }

        if (_closed)
        {
            // Queued in the moment the writer was being disposed.
            foreach (var operation in _batch)
            {
                operation.Fail(new ObjectDisposedException(nameof(SqliteWriter)));
            }

            return;
        }

        Volatile.Write(ref _lastBatchSize, _batch.Count);
        if (!TryRunBatch(_batch))
        {
            // One operation failed: run each alone so the others still commit and only the faulty one fails.
            foreach (var operation in _batch)
            {
                TryRunBatch([operation]);
            }
        }
    }

    private bool TryRunBatch(List<WriteOperation> batch)
    {
        // BEGIN and COMMIT as prepared statements too: SqliteTransaction prepares a new command for each.
        var context = new WriteContext(_connection, _commands, _statements);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            context.Statement("BEGIN IMMEDIATE").Execute();
            foreach (var operation in batch)
            {
                operation.Execute(context);
            }

            context.Statement("COMMIT").Execute();
            Interlocked.Increment(ref _transactions);
            Interlocked.Add(ref _operations, batch.Count);
            _metrics.Committed(batch.Count);
            foreach (var operation in batch)
            {
                operation.Complete();
            }

            return true;
        }
        catch (Exception ex)
        {
            if (SQLitePCL.raw.sqlite3_get_autocommit(_connection.Handle) == 0)
            {
                try
                {
                    context.Statement("ROLLBACK").Execute();
                }
                catch (SqliteException)
                {
                }
            }

            if (batch.Count == 1)
            {
                batch[0].Fail(ex);
                return true;
            }

            return false;
        }
        finally
        {
            _metrics.Busy(System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
    }

    private abstract class WriteOperation
    {
        public abstract bool IsCompleted { get; }

        public abstract void Execute(WriteContext context);

        public abstract void Complete();

        public abstract void Fail(Exception exception);
    }

    private sealed class WriteOperation<T>(Func<WriteContext, T> write) : WriteOperation
    {
        private readonly TaskCompletionSource<T> _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Task => _tcs.Task;

        public override bool IsCompleted => _tcs.Task.IsCompleted;

        public override void Execute(WriteContext context) => _result = write(context);

        public override void Complete() => _tcs.TrySetResult(_result!);

        public override void Fail(Exception exception) => _tcs.TrySetException(exception);
    }
}

/// <summary>What a write sees: the writer's connection, inside the batch's transaction, and its cached prepared commands.</summary>
internal sealed class WriteContext(
    SqliteConnection connection,
    Dictionary<string, SqliteCommand> commands,
    Dictionary<string, PreparedStatement> statements)
{
    /// <summary>Gets a statement prepared once on the writer's connection; it runs inside the open transaction.</summary>
    public PreparedStatement Statement(string sql)
    {
        if (!statements.TryGetValue(sql, out var statement))
        {
            statement = new PreparedStatement(connection.Handle!, sql);
            statements[sql] = statement;
        }

        return statement;
    }

    public SqliteCommand Command(string sql)
    {
        if (!commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            commands[sql] = command;
        }

        command.Parameters.Clear();
        return command;
    }
}
