using System.Data;
using System.Text.Json;
using HyOpps.Workflows;
using HyOpps.Workflows.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace HyOpps.Storage.Postgres.Internal;

/// <summary>The PostgreSQL store: claims with <c>FOR UPDATE SKIP LOCKED</c>, fencing-token guarded commits grouped into batches, LISTEN/NOTIFY wake-ups, resource leases.</summary>
internal sealed partial class PostgresWorkflowStore : IWorkflowStore, IWorkflowStoreNotifications, IResourceLockStore, IAsyncDisposable
{
    internal const string ExecutionColumns =
        "id, workflow_name, workflow_version, status, input, idempotency_key, labels, current_step, created_at, updated_at, " +
        "completed_at, next_run_at, lease_owner, lease_expires_at, fencing_token, version, error, error_type, waiting_reason, trace_parent";

    private const string StepColumns =
        "execution_id, idx, step_id, status, run, attempts, output, checkpoint, input_override, error, error_type, first_attempt_at, started_at, completed_at, abandoned";

    // What reads lay over the step and attempt rows (RunningOverlay), read after the execution columns.
    private const string OverlayColumns = "e.step_ids, e.running_steps::text, e.running_attempts::text";

    private const int OverlayOrdinal = 20;

    private const string AttemptColumns =
        "execution_id, step_idx, step_id, run, number, worker_id, started_at, ended_at, outcome, error, error_type, output, input";

    private readonly PostgresStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _listenConnectionString;
    private readonly PostgresWriter _writer;
    private readonly string _instanceId = Guid.NewGuid().ToString("N");
    private readonly SemaphoreSlim _initLock = new(1, 1);
    private string? _snapshotSql;
    private bool _initialized;

    public PostgresWorkflowStore(PostgresStoreOptions options, TimeProvider time, ILogger logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
        var settings = builder.ConnectionStringBuilder;

        // Every statement of the store has a fixed text: prepared once per connection, unless the connection string says otherwise.
        if (settings.MaxAutoPrepare == 0)
        {
            settings.MaxAutoPrepare = 64;
            settings.AutoPrepareMinUsages = 2;
        }

        // The store changes no session state on its pooled connections, so nothing needs resetting when one is returned.
        settings.NoResetOnClose = true;
        _dataSource = builder.Build();
        _listenConnectionString = new NpgsqlConnectionStringBuilder(options.ConnectionString) { Pooling = false, KeepAlive = 5 }.ConnectionString;
        Schema = options.Schema;
        NotifyChannel = $"{options.Schema}_work";
        _writer = new PostgresWriter(_dataSource, options.MaxBatchSize, options.MaxConcurrentBatches, () => "SELECT pg_notify($1, $2)", NotifyChannel, _instanceId, GroupCommits);
    }

    public string Schema { get; }

    public string NotifyChannel { get; }

    /// <summary>Gets how many batches, writes and statements the writer committed, for benchmarks.</summary>
    public (long Batches, long Operations, long Statements) WriterCounters => (_writer.Batches, _writer.Operations, _writer.Statements);

    public async ValueTask InitializeAsync(CancellationToken cancellationToken)
    {
        await _initLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_initialized)
            {
                await PostgresSchema.MigrateAsync(_dataSource, Schema, cancellationToken).ConfigureAwait(false);
                _initialized = true;
            }
        }
        finally
        {
            _initLock.Release();
        }
    }

    public async ValueTask<CreateExecutionResult> CreateExecutionAsync(ExecutionRecord execution, IReadOnlyList<StepRecord> steps, IReadOnlyList<AuditRecord> audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(execution);
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(audit);
        var result = await _writer.WriteAsync(new CreateOperation(this, execution, steps, audit), cancellationToken).ConfigureAwait(false);
        if (result is not null)
        {
            return result;
        }

        // The key was taken by a start that committed after this statement's snapshot: read it now.
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"SELECT {ExecutionColumns} FROM {Schema}.executions WHERE workflow_name = $1 AND idempotency_key = $2", connection);
        command.Parameters.Add(PgValues.Text(execution.WorkflowName));
        command.Parameters.Add(PgValues.Text(execution.IdempotencyKey));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new CreateExecutionResult(ReadExecution(reader), Created: false)
            : throw new InvalidOperationException($"Execution '{execution.Id}' conflicted with an idempotency key that no longer exists; start it again.");
    }

    public async ValueTask<IReadOnlyList<ClaimedExecution>> ClaimAsync(ClaimRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var expires = request.Now + request.LeaseDuration;
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var claimed = new List<ClaimedExecution>();

        // The steps come back with the claim: its snapshot holds every commit of the lease before, and none can follow.
        await using var claim = new NpgsqlCommand(
            $"UPDATE {Schema}.executions e SET lease_owner = $1, lease_expires_at = $2, due_at = $3, fencing_token = e.fencing_token + 1, version = e.version + 1 " +
            $"FROM (SELECT id FROM {Schema}.executions WHERE status IN ('pending', 'running') AND due_at <= $4 ORDER BY due_at, created_at LIMIT $5 FOR UPDATE SKIP LOCKED) c " +
            $"WHERE e.id = c.id RETURNING {Prefixed("e", ExecutionColumns)}, {OverlayColumns}, {StepRowsSql}", connection);
        claim.Parameters.Add(PgValues.Text(request.WorkerId));
        claim.Parameters.Add(PgValues.Time(expires));
        claim.Parameters.Add(PgValues.Long(PgValues.ToUnix(expires)));
        claim.Parameters.Add(PgValues.Long(PgValues.ToUnix(request.Now)));
        claim.Parameters.Add(PgValues.Int(request.MaxCount));
        await using var reader = await claim.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var execution = ReadExecution(reader);
            var overlay = ReadOverlay(reader);
            var steps = ReadNested(reader, OverlayOrdinal + 3, ReadStep);
            claimed.Add(new ClaimedExecution(execution, overlay.Steps(execution.Id, steps), overlay.RunningAttemptRecords(execution.Id)));
        }

        return claimed;
    }

    public ValueTask<bool> RenewLeaseAsync(string executionId, long fencingToken, DateTimeOffset leaseExpiresAt, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(executionId);
        return new(_writer.WriteAsync(new RenewOperation(this, executionId, fencingToken, leaseExpiresAt), cancellationToken));
    }

    public ValueTask<bool> CommitAsync(ExecutionCommit commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commit);
        if (commit.ExpectedFencingToken is null && commit.ExpectedVersion is null)
        {
            throw new ArgumentException("A commit needs a guard: an expected fencing token or an expected version.", nameof(commit));
        }

        return new(_writer.WriteAsync(new CommitOperation(this, commit), cancellationToken));
    }

    public async ValueTask<ExecutionSnapshot?> GetExecutionAsync(string executionId, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

        // One statement, one snapshot: a commit meanwhile cannot show steps newer than the row, and no transaction costs
        // a round trip of its own to begin and end.
        await using var command = new NpgsqlCommand(SnapshotSql, connection);
        command.Parameters.Add(PgValues.Text(executionId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var execution = ReadExecution(reader);
        var overlay = ReadOverlay(reader);
        var steps = ReadNested(reader, OverlayOrdinal + 3, ReadStep);
        var attempts = ReadNested(reader, OverlayOrdinal + 4, ReadAttempt);
        var audit = ReadNested(reader, OverlayOrdinal + 5, ReadAudit);
        return new ExecutionSnapshot(execution, overlay.Steps(executionId, steps), overlay.Attempts(executionId, attempts), audit);
    }

    public async ValueTask<ExecutionRecord?> GetExecutionRecordAsync(string executionId, CancellationToken cancellationToken)
        => (await ReadExecutionsAsync($"SELECT {ExecutionColumns} FROM {Schema}.executions WHERE id = $1", PgValues.Text(executionId), cancellationToken).ConfigureAwait(false))
            .FirstOrDefault();

    public async ValueTask<IReadOnlyList<ExecutionRecord>> GetExecutionRecordsAsync(IReadOnlyList<string> executionIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(executionIds);
        return executionIds.Count == 0
            ? []
            : await ReadExecutionsAsync($"SELECT {ExecutionColumns} FROM {Schema}.executions WHERE id = ANY($1)", PgValues.TextArray(executionIds), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<ExecutionPage> ListExecutionsAsync(ExecutionQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = new List<string>();
        var parameters = new List<Func<NpgsqlParameter>>();
        string Next(Func<NpgsqlParameter> parameter)
        {
            parameters.Add(parameter);
            return "$" + parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (query.WorkflowName is { } workflow)
        {
            where.Add($"workflow_name = {Next(() => PgValues.Text(workflow))}");
        }

        if (query.Statuses.Count > 0)
        {
            var names = query.Statuses.Select(PgValues.Name).ToArray();
            where.Add($"status = ANY({Next(() => PgValues.TextArray(names))})");
        }

        if (query.Labels.Count > 0)
        {
            var labels = JsonSerializer.Serialize(query.Labels);
            where.Add($"labels @> {Next(() => PgValues.Json(labels))}");
        }

        if (query.AnyLabelValue is { } anyValue)
        {
            // The expression of the ix_executions_label_values index: an array of every label's value.
            var value = JsonSerializer.Serialize(new[] { anyValue });
            where.Add($"jsonb_path_query_array(labels, '$.*') @> {Next(() => PgValues.Json(value))}");
        }

        if (query.CreatedFrom is { } from)
        {
            where.Add($"created_at >= {Next(() => PgValues.Time(from))}");
        }

        if (query.CreatedTo is { } to)
        {
            where.Add($"created_at < {Next(() => PgValues.Time(to))}");
        }

        if (query.CurrentStepId is { } stepId)
        {
            // A step's id is in the execution's list from the start, or in its row or the overlay when it was not.
            var id = Next(() => PgValues.Text(stepId));
            where.Add($"(step_ids[current_step + 1] = {id} " +
                $"OR EXISTS (SELECT 1 FROM {Schema}.steps s WHERE s.execution_id = executions.id AND s.idx = executions.current_step AND s.step_id = {id}) " +
                $"OR running_steps -> (current_step::text) ->> 1 = {id})");
        }

        if (query.NextRunAfter is { } runAfter)
        {
            where.Add($"next_run_at > {Next(() => PgValues.Time(runAfter))}");
        }

        var filter = where.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", where);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection, transaction);
        var count = new NpgsqlBatchCommand($"SELECT count(*) FROM {Schema}.executions{filter}");
        var page = new NpgsqlBatchCommand(
            $"SELECT {ExecutionColumns} FROM {Schema}.executions{filter} ORDER BY created_at DESC, id DESC " +
            $"LIMIT {query.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture)} OFFSET {query.Offset.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        foreach (var parameter in parameters)
        {
            count.Parameters.Add(parameter());
            page.Parameters.Add(parameter());
        }

        batch.BatchCommands.Add(count);
        batch.BatchCommands.Add(page);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var total = (int)reader.GetInt64(0);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var items = await ReadAllAsync(reader, ReadExecution, cancellationToken).ConfigureAwait(false);
        return new ExecutionPage(items, total);
    }

    public async ValueTask<DateTimeOffset?> GetNextWakeTimeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"SELECT min(due_at) FROM {Schema}.executions WHERE status IN ('pending', 'running')", connection);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is long due ? PgValues.FromUnix(due) : null;
    }

    public async ValueTask<WorkflowStoreStatus> GetStatusAsync(WorkflowStoreStatusRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        var version = await PostgresSchema.ReadVersionAsync(connection, transaction, Schema, cancellationToken).ConfigureAwait(false);

        // An execution held back by neither a retry time nor a lease (due_at 0) has been due since it last changed.
        await using var command = new NpgsqlCommand(
            "SELECT count(*), min(t), count(*) FILTER (WHERE t < $2) FROM (" +
            "SELECT CASE WHEN due_at = 0 THEN (extract(epoch FROM updated_at) * 1000)::bigint ELSE due_at END AS t " +
            $"FROM {Schema}.executions WHERE status IN ('pending', 'running')) d WHERE t <= $1", connection, transaction);
        command.Parameters.Add(PgValues.Long(PgValues.ToUnix(request.Now)));
        command.Parameters.Add(PgValues.Long(PgValues.ToUnix(request.StuckBefore)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new WorkflowStoreStatus(
            SchemaCurrent: version == PostgresSchema.LatestVersion,
            DueCount: (int)reader.GetInt64(0),
            OldestDueAt: reader.IsDBNull(1) ? null : PgValues.FromUnix(reader.GetInt64(1)),
            StuckCount: (int)reader.GetInt64(2));
    }

    public IAsyncDisposable Subscribe(Action onWork)
    {
        ArgumentNullException.ThrowIfNull(onWork);
        return PostgresNotificationListener.Start(_listenConnectionString, NotifyChannel, _instanceId, onWork, _time, _logger);
    }

    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        _initLock.Dispose();
    }

    internal NpgsqlDataSource DataSource => _dataSource;

    // The steps, attempts and audit as arrays of rows in the execution's row: typed, in the binary format, read with nested readers.
    private string SnapshotSql => _snapshotSql ??=
        $"SELECT {ExecutionColumns}, {OverlayColumns}, {StepRowsSql}, " +
        $"ARRAY(SELECT ROW({AttemptColumns}) FROM {Schema}.attempts WHERE execution_id = e.id ORDER BY step_idx, run, number), " +
        $"ARRAY(SELECT ROW(execution_id, at, actor, action, reason, detail) FROM {Schema}.audit WHERE execution_id = e.id ORDER BY id) " +
        $"FROM {Schema}.executions e WHERE e.id = $1";

    private string StepRowsSql => $"ARRAY(SELECT ROW({StepColumns}) FROM {Schema}.steps WHERE execution_id = e.id ORDER BY idx)";

    internal static string Prefixed(string alias, string columns) => string.Join(", ", columns.Split(", ").Select(c => $"{alias}.{c}"));

    internal static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    /// <summary>The claim index's key: the later of the retry time and the lease's expiry, 0 when neither holds the execution back.</summary>
    internal static long DueAt(ExecutionRecord e)
        => Math.Max(e.NextRunAt is { } next ? PgValues.ToUnix(next) : 0L, e.LeaseExpiresAt is { } lease ? PgValues.ToUnix(lease) : 0L);

    private async Task<List<ExecutionRecord>> ReadExecutionsAsync(string sql, NpgsqlParameter parameter, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(parameter);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await ReadAllAsync(reader, ReadExecution, cancellationToken).ConfigureAwait(false);
    }
}
