using System.Collections.Concurrent;
using Npgsql;

namespace HyOpps.Storage.Postgres.Internal;

/// <summary>Group commit: writes that arrive together go to the server in one batch, one round trip and one transaction.</summary>
/// <remarks>
/// Up to <c>maxConcurrent</c> batches are in flight at once, each on a pooled connection; a write that finds a free
/// slot goes at once, and writes that arrive while every slot is busy wait and share the next batch. Each caller's task
/// completes only after its batch committed. A batch that fails is retried one write at a time, so that a write that
/// fails alone fails only its own caller. Writes in a batch are ordered by execution id, so that two batches take row
/// locks in the same order. <c>group</c> may turn several writes of a batch into one statement (a multi-row commit),
/// which takes its rows' locks in the order of its plan: should two batches ever deadlock on that, the server aborts
/// one, and its writes are retried one at a time.
/// </remarks>
internal sealed class PostgresWriter(
    NpgsqlDataSource dataSource,
    int maxBatch,
    int maxConcurrent,
    Func<string> notifyCommand,
    string notifyChannel,
    string notifyPayload,
    Func<IReadOnlyList<WriteOperation>, IReadOnlyList<WriteOperation>> group)
{
    private readonly ConcurrentQueue<WriteOperation> _queue = new();
    private int _active;
    private long _batches;
    private long _operations;
    private long _statements;

    public long Batches => Interlocked.Read(ref _batches);

    public long Operations => Interlocked.Read(ref _operations);

    public long Statements => Interlocked.Read(ref _statements);

    public Task<T> WriteAsync<T>(WriteOperation<T> operation, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _queue.Enqueue(operation);
        TryStartDrain();
        return operation.Task;
    }

    private void TryStartDrain()
    {
        while (!_queue.IsEmpty)
        {
            var active = Volatile.Read(ref _active);
            if (active >= maxConcurrent)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _active, active + 1, active) == active)
            {
                _ = DrainAsync();
                return;
            }
        }
    }

    private async Task DrainAsync()
    {
        try
        {
            var batch = new List<WriteOperation>();
            while (true)
            {
                batch.Clear();
                while (batch.Count < maxBatch && _queue.TryDequeue(out var operation))
                {
                    batch.Add(operation);
                }

                if (batch.Count == 0)
                {
                    return;
                }

                // Stable: two writes of one execution (an operator's cancel and the runner's commit) keep the order they came
                // in, which decides whose guard sees whose write; List.Sort could swap them.
                List<WriteOperation> ordered = [.. batch.OrderBy(static o => o.ExecutionId, StringComparer.Ordinal)];
                if (!await TryRunAsync(ordered).ConfigureAwait(false))
                {
                    foreach (var operation in ordered)
                    {
                        await TryRunAsync([operation]).ConfigureAwait(false);
                    }
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _active);

            // A write queued after the last look at the queue, while every slot was taken, is left to a new drain.
            TryStartDrain();
        }
    }

    private async Task<bool> TryRunAsync(List<WriteOperation> operations)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(CancellationToken.None).ConfigureAwait(false);
            await using var batch = new NpgsqlBatch(connection);
            var statements = operations.Count > 1 ? group(operations) : (IReadOnlyList<WriteOperation>)operations;
            foreach (var statement in statements)
            {
                statement.AddCommands(batch);
            }

            var notify = operations.Any(o => o.AnnouncesWork);

            if (notify)
            {
                // Delivered to the listeners of every host once this batch's transaction commits.
                var command = new NpgsqlBatchCommand(notifyCommand());
                command.Parameters.Add(PgValues.Text(notifyChannel));
                command.Parameters.Add(PgValues.Text(notifyPayload));
                batch.BatchCommands.Add(command);
            }

            // One round trip; without an explicit transaction the batch is one implicit transaction: all or nothing.
            await using (var reader = await batch.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false))
            {
                foreach (var statement in statements)
                {
                    await statement.ReadAsync(reader).ConfigureAwait(false);
                }
            }

            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _operations, operations.Count);
            Interlocked.Add(ref _statements, statements.Count);
            foreach (var statement in statements)
            {
                statement.Complete();
            }

            return true;
        }
        catch (Exception ex)
        {
            if (operations.Count == 1)
            {
                operations[0].Fail(ex);
                return true;
            }

            return false;
        }
    }
}

/// <summary>One write of a batch: the commands it adds and how it reads their results.</summary>
internal abstract class WriteOperation
{
    /// <summary>Gets the execution the write changes, by which a batch orders its writes.</summary>
    public abstract string ExecutionId { get; }

    /// <summary>Gets a value indicating whether the write makes an execution runnable by any host, so that the batch notifies the listeners.</summary>
    public virtual bool AnnouncesWork => false;

    public abstract void AddCommands(NpgsqlBatch batch);

    /// <summary>Reads the results of this write's commands; the reader is positioned on the first of them and left after the last.</summary>
    public abstract Task ReadAsync(NpgsqlDataReader reader);

    public abstract void Complete();

    public abstract void Fail(Exception exception);
}

/// <summary>A write with a result.</summary>
internal abstract class WriteOperation<T> : WriteOperation
{
    private readonly TaskCompletionSource<T> _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<T> Task => _tcs.Task;

    protected T? Result { get; set; }

    public override void Complete() => _tcs.TrySetResult(Result!);

    public override void Fail(Exception exception) => _tcs.TrySetException(exception);
}
