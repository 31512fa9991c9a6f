using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace HyOpps.Storage.Sqlite.Internal;

/// <summary>The one writer of a database: queued writes are grouped into one transaction (group commit).</summary>
/// <remarks>
/// Several writer connections do not add throughput in SQLite and starve each other on busy retries, so every write
/// of this process goes through one connection; each caller's task completes only after its transaction committed.
/// </remarks>
internal sealed class SqliteWriter : IAsyncDisposable
{
    private readonly Channel<WriteOperation> _queue = Channel.CreateUnbounded<WriteOperation>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection _connection;
    private readonly int _maxBatch;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PreparedStatement> _statements = new(StringComparer.Ordinal);
    private readonly Task _loop;

    public SqliteWriter(SqliteConnection connection, int maxBatch)
    {
        _connection = connection;
        _maxBatch = maxBatch;
        _loop = Task.Factory.StartNew(RunAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    public long Transactions { get; private set; }

    public long Operations { get; private set; }

    /// <summary>Gets how long the writer spent running batches (statements and commits), in <see cref="System.Diagnostics.Stopwatch"/> ticks.</summary>
    public long BusyTicks { get; private set; }

    public Task<T> WriteAsync<T>(Func<WriteContext, T> write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var operation = new WriteOperation<T>(write);
        if (!_queue.Writer.TryWrite(operation))
        {
            throw new ObjectDisposedException(nameof(SqliteWriter));
        }

        return operation.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        foreach (var statement in _statements.Values)
        {
            statement.Dispose();
        }

        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var batch = new List<WriteOperation>(_maxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < _maxBatch && reader.TryRead(out var operation))
            {
                batch.Add(operation);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            if (!TryRunBatch(batch))
            {
                // One operation failed: run each alone so the others still commit and only the faulty one fails.
                foreach (var operation in batch)
                {
                    TryRunBatch([operation]);
                }
            }
        }
    }

    private bool TryRunBatch(List<WriteOperation> batch)
    {
        SqliteTransaction? transaction = null;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            transaction = _connection.BeginTransaction(deferred: false);
            var context = new WriteContext(_connection, transaction, _commands, _statements);
            foreach (var operation in batch)
            {
                operation.Execute(context);
            }

            transaction.Commit();
            Transactions++;
            Operations += batch.Count;
            foreach (var operation in batch)
            {
                operation.Complete();
            }

            return true;
        }
        catch (Exception ex)
        {
            try
            {
                transaction?.Rollback();
            }
            catch (SqliteException)
            {
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
            transaction?.Dispose();
            BusyTicks += System.Diagnostics.Stopwatch.GetTimestamp() - started;
        }
    }

    private abstract class WriteOperation
    {
        public abstract void Execute(WriteContext context);

        public abstract void Complete();

        public abstract void Fail(Exception exception);
    }

    private sealed class WriteOperation<T>(Func<WriteContext, T> write) : WriteOperation
    {
        private readonly TaskCompletionSource<T> _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Task => _tcs.Task;

        public override void Execute(WriteContext context) => _result = write(context);

        public override void Complete() => _tcs.TrySetResult(_result!);

        public override void Fail(Exception exception) => _tcs.TrySetException(exception);
    }
}

/// <summary>What a write sees: the writer's connection, its open transaction and cached prepared commands.</summary>
internal sealed class WriteContext(
    SqliteConnection connection,
    SqliteTransaction transaction,
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

        command.Transaction = transaction;
        command.Parameters.Clear();
        return command;
    }
}
