using System.Globalization;
using System.Text;
using System.Text.Json;
using HyOpps.Workflows;
using HyOpps.Workflows.Storage;
using Microsoft.Data.Sqlite;

namespace HyOpps.Storage.Sqlite.Internal;

internal sealed partial class SqliteWorkflowStore : IWorkflowStore, IResourceLockStore, IAsyncDisposable
{
    private const string ExecutionColumns =
        "id, workflow_name, workflow_version, status, input, idempotency_key, labels, current_step, created_at, updated_at, " +
        "completed_at, next_run_at, lease_owner, lease_expires_at, fencing_token, version, error, error_type, waiting_reason, trace_parent";

    private const string StepColumns =
        "execution_id, idx, step_id, status, run, attempts, output, checkpoint, input_override, error, error_type, first_attempt_at, started_at, completed_at, abandoned";

    private const string AttemptColumns =
        "execution_id, step_idx, step_id, run, number, worker_id, started_at, ended_at, outcome, error, error_type, output, input";

    private const string AuditColumns = "execution_id, at, actor, action, reason, detail";

    private readonly SqliteStoreOptions _options;
    private readonly string _connectionString;
    private readonly SemaphoreSlim _initLock = new(1, 1);
    private SqliteWriter? _writer;

    public SqliteWorkflowStore(SqliteStoreOptions options)
    {
        _options = options;
        var builder = new SqliteConnectionStringBuilder(options.ConnectionString)
        {
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        };
        _connectionString = builder.ToString();
    }

    public async ValueTask InitializeAsync(CancellationToken cancellationToken)
    {
        await _initLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_writer is not null)
            {
                return;
            }

            var connection = new SqliteConnection(_connectionString);
            try
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                using (var pragma = connection.CreateCommand())
                {
                    var synchronous = _options.Synchronous == SqliteSynchronousMode.Full ? "FULL" : "NORMAL";
                    // auto_vacuum can only be chosen before the first table exists: new files give deleted pages back
                    // (retention runs an incremental vacuum); an existing file keeps its mode (see the README).
                    pragma.CommandText = $"PRAGMA auto_vacuum=INCREMENTAL; PRAGMA journal_mode=WAL; PRAGMA synchronous={synchronous};";
                    pragma.ExecuteNonQuery();
                }

                SqliteSchema.Migrate(connection, SqliteSchema.LatestVersion);

                // The writer's prepared statements bypass Microsoft.Data.Sqlite's busy retry loop: SQLite itself waits for
                // another process's write lock, up to the same timeout.
                SQLitePCL.raw.sqlite3_busy_timeout(connection.Handle, (int)Math.Min(int.MaxValue, _options.BusyTimeout.TotalMilliseconds));
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            _writer = new SqliteWriter(connection, _options.MaxBatchSize);
        }
        finally
        {
            _initLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_writer is { } writer)
        {
            _writer = null;
            await writer.DisposeAsync().ConfigureAwait(false);
        }

        _initLock.Dispose();
    }

    private async ValueTask<SqliteWriter> WriterAsync(CancellationToken cancellationToken)
    {
        if (_writer is { } writer)
        {
            return writer;
        }

        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return _writer!;
    }

    private async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        if (_writer is null)
        {
            await InitializeAsync(cancellationToken).ConfigureAwait(false);
        }

        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    // Microsoft.Data.Sqlite begins IMMEDIATE transactions by default, which take the write lock: a reader would then
    // queue behind the writer and, when busy, sleep in 150 ms steps. A deferred transaction is a WAL read snapshot.
    private static SqliteTransaction BeginSnapshot(SqliteConnection connection) => connection.BeginTransaction(deferred: true);

    private static SqliteCommand Query(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    private static async Task<List<T>> ReadAllAsync<T>(SqliteConnection connection, SqliteTransaction transaction, string sql, string id, Func<SqliteDataReader, T> read, CancellationToken cancellationToken)
    {
        var list = new List<T>();
        await using var command = Query(connection, transaction, sql, ("@id", id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(read(reader));
        }

        return list;
    }

    /// <summary>Appends a condition per label (<c>e</c> being the executions table), each with its two parameters.</summary>
    private static void AppendLabelFilter(StringBuilder where, List<(string Name, object Value)> parameters, IEnumerable<KeyValuePair<string, string>> labels)
    {
        var i = 0;
        foreach (var (key, value) in labels)
        {
            // IN rather than EXISTS: the count can then start from the label's rows instead of scanning every execution.
            where.Append(CultureInfo.InvariantCulture, $" AND e.id IN (SELECT l.execution_id FROM execution_labels l WHERE l.key = @lk{i} AND l.value = @lv{i})");
            parameters.Add(($"@lk{i}", key));
            parameters.Add(($"@lv{i}", value));
            i++;
        }
    }

    private static ExecutionRecord ReadExecution(SqliteDataReader r) => new()
    {
        Id = r.GetString(0),
        WorkflowName = r.GetString(1),
        WorkflowVersion = r.GetInt32(2),
        Status = Parse<ExecutionStatus>(r.GetString(3)),
        Input = r.GetString(4),
        IdempotencyKey = NullableString(r, 5),
        Labels = JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(6)) ?? [],
        CurrentStepIndex = r.GetInt32(7),
        CreatedAt = FromUnix(r.GetInt64(8)),
        UpdatedAt = FromUnix(r.GetInt64(9)),
        CompletedAt = NullableTime(r, 10),
        NextRunAt = NullableTime(r, 11),
        LeaseOwner = NullableString(r, 12),
        LeaseExpiresAt = NullableTime(r, 13),
        FencingToken = r.GetInt64(14),
        Version = r.GetInt64(15),
        Error = NullableString(r, 16),
        ErrorType = NullableString(r, 17),
        WaitingReason = NullableString(r, 18),
        TraceParent = NullableString(r, 19),
    };

    private static StepRecord ReadStep(SqliteDataReader r) => new()
    {
        ExecutionId = r.GetString(0),
        Index = r.GetInt32(1),
        StepId = r.GetString(2),
        Status = Parse<StepStatus>(r.GetString(3)),
        Run = r.GetInt32(4),
        Attempts = r.GetInt32(5),
        Output = NullableString(r, 6),
        Checkpoint = NullableString(r, 7),
        InputOverride = NullableString(r, 8),
        Error = NullableString(r, 9),
        ErrorType = NullableString(r, 10),
        FirstAttemptAt = NullableTime(r, 11),
        StartedAt = NullableTime(r, 12),
        CompletedAt = NullableTime(r, 13),
        AbandonedAttempts = r.GetInt32(14),
    };

    private static AttemptRecord ReadAttempt(SqliteDataReader r) => new()
    {
        ExecutionId = r.GetString(0),
        StepIndex = r.GetInt32(1),
        StepId = r.GetString(2),
        Run = r.GetInt32(3),
        Number = r.GetInt32(4),
        WorkerId = NullableString(r, 5),
        StartedAt = FromUnix(r.GetInt64(6)),
        EndedAt = NullableTime(r, 7),
        Outcome = Parse<AttemptOutcome>(r.GetString(8)),
        Error = NullableString(r, 9),
        ErrorType = NullableString(r, 10),
        Output = NullableString(r, 11),
        Input = NullableString(r, 12),
    };

    private static AuditRecord ReadAudit(SqliteDataReader r) => new()
    {
        ExecutionId = r.GetString(0),
        At = FromUnix(r.GetInt64(1)),
        Actor = r.GetString(2),
        Action = r.GetString(3),
        Reason = NullableString(r, 4),
        Detail = NullableString(r, 5),
    };

    private static string Name<T>(T value)
        where T : struct, Enum
        => EnumNames<T>.ByValue.TryGetValue(value, out var name) ? name : JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    private static T Parse<T>(string value)
        where T : struct, Enum
        => EnumNames<T>.ByName.TryGetValue(value, out var parsed) ? parsed : Enum.Parse<T>(value.Replace("_", string.Empty, StringComparison.Ordinal), ignoreCase: true);

    private static long ToUnix(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    private static DateTimeOffset FromUnix(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);

    private static string? NullableString(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static DateTimeOffset? NullableTime(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : FromUnix(r.GetInt64(i));

    // Status names are written and read on every commit and row: computed once per enum.
    private static class EnumNames<T>
        where T : struct, Enum
    {
        public static readonly Dictionary<T, string> ByValue = Enum.GetValues<T>().ToDictionary(v => v, v => JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString()));

        public static readonly Dictionary<string, T> ByName = ByValue.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
    }
}
