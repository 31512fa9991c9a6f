using System.Text.Json;
using HyOpps.Workflows;
using HyOpps.Workflows.Storage;

namespace HyOpps.Storage.Postgres.Internal;

/// <summary>
/// Step, attempt and audit records as positional JSON arrays: the running records kept in the execution row
/// (<see cref="RunningOverlay"/>) and the rows a snapshot reads in one statement. The SQL that builds an array from a
/// row and the C# that reads it follow one column order, so that a record reads back the same from either place.
/// </summary>
internal static class PositionalJson
{
    // Times as microseconds since 2000-01-01 UTC, as PostgreSQL keeps timestamptz (and as Npgsql truncates a DateTime).
    private static readonly long PostgresEpochTicks = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

    /// <summary>The SQL of a step row (alias <c>s</c>) as the array <see cref="ReadStep"/> reads.</summary>
    public static readonly string StepArraySql =
        "json_build_array(s.idx, s.step_id, s.status, s.run, s.attempts, s.output, s.checkpoint, s.input_override, s.error, s.error_type, " +
        $"{Micros("s.first_attempt_at")}, {Micros("s.started_at")}, {Micros("s.completed_at")}, s.abandoned)";

    /// <summary>The SQL of an attempt row (alias <c>a</c>) as the array <see cref="ReadAttempt"/> reads.</summary>
    public static readonly string AttemptArraySql =
        $"json_build_array(a.step_idx, a.step_id, a.run, a.number, a.worker_id, {Micros("a.started_at")}, {Micros("a.ended_at")}, a.outcome, a.error, " +
        "a.error_type, a.output, a.input)";

    /// <summary>The SQL of an audit row (alias <c>u</c>) as the array <see cref="ReadAudit"/> reads.</summary>
    public static readonly string AuditArraySql = $"json_build_array({Micros("u.at")}, u.actor, u.action, u.reason, u.detail)";

    /// <summary>The SQL of a time as microseconds since 2000-01-01 UTC: exact, where a double would round.</summary>
    public static string Micros(string value) => $"(extract(epoch FROM {value}) * 1000000)::bigint - 946684800000000";

    /// <summary>Reads a JSON array of records.</summary>
    public static List<T> ReadArray<T>(string? json, string executionId, Func<string, JsonElement, T> read)
    {
        var records = new List<T>();
        if (json is null)
        {
            return records;
        }

        using var document = JsonDocument.Parse(json);
        foreach (var element in document.RootElement.EnumerateArray())
        {
            records.Add(read(executionId, element));
        }

        return records;
    }

    public static void WriteStep(Utf8JsonWriter json, StepRecord s)
    {
        json.WriteStartArray();
        json.WriteNumberValue(s.Index);
        Text(json, s.StepId);
        Text(json, PgValues.Name(s.Status));
        json.WriteNumberValue(s.Run);
        json.WriteNumberValue(s.Attempts);
        Text(json, s.Output);
        Text(json, s.Checkpoint);
        Text(json, s.InputOverride);
        Text(json, s.Error);
        Text(json, s.ErrorType);
        Time(json, s.FirstAttemptAt);
        Time(json, s.StartedAt);
        Time(json, s.CompletedAt);
        json.WriteNumberValue(s.AbandonedAttempts);
        json.WriteEndArray();
    }

    public static StepRecord ReadStep(string executionId, JsonElement a) => new()
    {
        ExecutionId = executionId,
        Index = a[0].GetInt32(),
        StepId = Text(a[1])!,
        Status = PgValues.Parse<StepStatus>(a[2].GetString()!),
        Run = a[3].GetInt32(),
        Attempts = a[4].GetInt32(),
        Output = Text(a[5]),
        Checkpoint = Text(a[6]),
        InputOverride = Text(a[7]),
        Error = Text(a[8]),
        ErrorType = Text(a[9]),
        FirstAttemptAt = Time(a[10]),
        StartedAt = Time(a[11]),
        CompletedAt = Time(a[12]),
        AbandonedAttempts = a[13].GetInt32(),
    };

    public static void WriteAttempt(Utf8JsonWriter json, AttemptRecord a)
    {
        json.WriteStartArray();
        json.WriteNumberValue(a.StepIndex);
        Text(json, a.StepId);
        json.WriteNumberValue(a.Run);
        json.WriteNumberValue(a.Number);
        Text(json, a.WorkerId);
        Time(json, a.StartedAt);
        Time(json, a.EndedAt);
        Text(json, PgValues.Name(a.Outcome));
        Text(json, a.Error);
        Text(json, a.ErrorType);
        Text(json, a.Output);
        Text(json, a.Input);
        json.WriteEndArray();
    }

    public static AttemptRecord ReadAttempt(string executionId, JsonElement a) => new()
    {
        ExecutionId = executionId,
        StepIndex = a[0].GetInt32(),
        StepId = Text(a[1])!,
        Run = a[2].GetInt32(),
        Number = a[3].GetInt32(),
        WorkerId = Text(a[4]),
        StartedAt = Time(a[5])!.Value,
        EndedAt = Time(a[6]),
        Outcome = PgValues.Parse<AttemptOutcome>(a[7].GetString()!),
        Error = Text(a[8]),
        ErrorType = Text(a[9]),
        Output = Text(a[10]),
        Input = Text(a[11]),
    };

    public static AuditRecord ReadAudit(string executionId, JsonElement a) => new()
    {
        ExecutionId = executionId,
        At = Time(a[0])!.Value,
        Actor = Text(a[1])!,
        Action = Text(a[2])!,
        Reason = Text(a[3]),
        Detail = Text(a[4]),
    };

    // jsonb cannot hold U+0000 either: strings go in encoded as they would into a text column.
    private static void Text(Utf8JsonWriter json, string? value)
    {
        if (PgValues.Encode(value) is { } encoded)
        {
            json.WriteStringValue(encoded);
        }
        else
        {
            json.WriteNullValue();
        }
    }

    private static string? Text(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : PgValues.Decode(value.GetString()!);

    private static void Time(Utf8JsonWriter json, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            json.WriteNumberValue((v.UtcTicks - PostgresEpochTicks) / TimeSpan.TicksPerMicrosecond);
        }
        else
        {
            json.WriteNullValue();
        }
    }

    private static DateTimeOffset? Time(JsonElement value)
        => value.ValueKind == JsonValueKind.Null ? null : new DateTimeOffset(PostgresEpochTicks + (value.GetInt64() * TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
}
