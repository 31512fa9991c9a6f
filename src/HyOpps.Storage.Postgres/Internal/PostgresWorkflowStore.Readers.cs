using System.Data.Common;
using HyOpps.Workflows;
using HyOpps.Workflows.Storage;
using Npgsql;

namespace HyOpps.Storage.Postgres.Internal;

/// <summary>How the store's rows become records: the columns of each table in order, and the arrays of rows a snapshot or a claim nests in an execution's row.</summary>
internal sealed partial class PostgresWorkflowStore
{
    private static RunningOverlay ReadOverlay(NpgsqlDataReader reader) => new(
        reader.IsDBNull(OverlayOrdinal) ? null : reader.GetFieldValue<string[]>(OverlayOrdinal),
        PgValues.NullableString(reader, OverlayOrdinal + 1),
        PgValues.NullableString(reader, OverlayOrdinal + 2));

    private static List<T> ReadNested<T>(NpgsqlDataReader reader, int ordinal, Func<DbDataReader, T> read)
    {
        using var nested = reader.GetData(ordinal);
        var records = new List<T>();
        while (nested.Read())
        {
            records.Add(read(nested));
        }

        return records;
    }

    internal static ExecutionRecord ReadExecution(DbDataReader r) => ReadExecution(r, 0);

    /// <summary>Reads the execution columns starting at <paramref name="o"/>.</summary>
    internal static ExecutionRecord ReadExecution(DbDataReader r, int o) => new()
    {
        Id = PgValues.String(r, o),
        WorkflowName = PgValues.String(r, o + 1),
        WorkflowVersion = r.GetInt32(o + 2),
        Status = PgValues.Parse<ExecutionStatus>(r.GetString(o + 3)),
        Input = PgValues.String(r, o + 4),
        IdempotencyKey = PgValues.NullableString(r, o + 5),
        Labels = PgValues.Labels(r, o + 6),
        CurrentStepIndex = r.GetInt32(o + 7),
        CreatedAt = PgValues.Time(r, o + 8),
        UpdatedAt = PgValues.Time(r, o + 9),
        CompletedAt = PgValues.NullableTime(r, o + 10),
        NextRunAt = PgValues.NullableTime(r, o + 11),
        LeaseOwner = PgValues.NullableString(r, o + 12),
        LeaseExpiresAt = PgValues.NullableTime(r, o + 13),
        FencingToken = r.GetInt64(o + 14),
        Version = r.GetInt64(o + 15),
        Error = PgValues.NullableString(r, o + 16),
        ErrorType = PgValues.NullableString(r, o + 17),
        WaitingReason = PgValues.NullableString(r, o + 18),
        TraceParent = PgValues.NullableString(r, o + 19),
    };

    private static StepRecord ReadStep(DbDataReader r) => new()
    {
        ExecutionId = PgValues.String(r, 0),
        Index = r.GetInt32(1),
        StepId = PgValues.String(r, 2),
        Status = PgValues.Parse<StepStatus>(r.GetString(3)),
        Run = r.GetInt32(4),
        Attempts = r.GetInt32(5),
        Output = PgValues.NullableString(r, 6),
        Checkpoint = PgValues.NullableString(r, 7),
        InputOverride = PgValues.NullableString(r, 8),
        Error = PgValues.NullableString(r, 9),
        ErrorType = PgValues.NullableString(r, 10),
        FirstAttemptAt = PgValues.NullableTime(r, 11),
        StartedAt = PgValues.NullableTime(r, 12),
        CompletedAt = PgValues.NullableTime(r, 13),
        AbandonedAttempts = r.GetInt32(14),
    };

    private static AttemptRecord ReadAttempt(DbDataReader r) => new()
    {
        ExecutionId = PgValues.String(r, 0),
        StepIndex = r.GetInt32(1),
        StepId = PgValues.String(r, 2),
        Run = r.GetInt32(3),
        Number = r.GetInt32(4),
        WorkerId = PgValues.NullableString(r, 5),
        StartedAt = PgValues.Time(r, 6),
        EndedAt = PgValues.NullableTime(r, 7),
        Outcome = PgValues.Parse<AttemptOutcome>(r.GetString(8)),
        Error = PgValues.NullableString(r, 9),
        ErrorType = PgValues.NullableString(r, 10),
        Output = PgValues.NullableString(r, 11),
        Input = PgValues.NullableString(r, 12),
    };
    private static AuditRecord ReadAudit(DbDataReader r) => new()
    {
        ExecutionId = PgValues.String(r, 0),
        At = PgValues.Time(r, 1),
        Actor = PgValues.String(r, 2),
        Action = PgValues.String(r, 3),
        Reason = PgValues.NullableString(r, 4),
        Detail = PgValues.NullableString(r, 5),
    };

    private static async Task<List<T>> ReadAllAsync<T>(NpgsqlDataReader reader, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        var list = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(read(reader));
        }

        return list;
    }
}
