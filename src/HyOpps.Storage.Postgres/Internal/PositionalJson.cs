using System.Text.Json;
using HyOpps.Workflows;
using HyOpps.Workflows.Storage;

namespace HyOpps.Storage.Postgres.Internal;

/// <summary>
/// Step and attempt records as positional JSON arrays, for the running records kept in the execution row
/// (<see cref="RunningOverlay"/>): the columns in the order of their tables, times as PostgreSQL keeps them, so that a
/// record reads back the same from the overlay as from its row.
/// </summary>
internal static class PositionalJson
{
    // Times as microseconds since 2000-01-01 UTC, as PostgreSQL keeps timestamptz (and as Npgsql truncates a DateTime).
    private static readonly long PostgresEpochTicks = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

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
