using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using HyOpps.Workflows;
using HyOpps.Workflows.Storage;

namespace HyOpps.Storage.Postgres.Internal;

/// <summary>
/// The running records of an execution (a running step, its running attempt) kept in the execution row instead of rows
/// of their own, as two JSON objects keyed by record: <c>running_steps</c> by step index, <c>running_attempts</c> by
/// <c>index/run/number</c>, each record a positional array.
/// </summary>
/// <remarks>
/// A step's commit updates the execution row anyway; a running record there costs nothing more, where a row of its own
/// costs an insert and, when the step ends, an update of that row. A record written by a commit goes to the overlay
/// while it runs and to its table once it has ended, and the commit removes its key from the overlay: a commit's
/// <em>changes</em> object maps each key it writes to the running record or to <c>null</c>, which the statement merges
/// into the row's object and strips. Reads lay the overlay over the rows: a key in the overlay is newer than its row.
/// </remarks>
internal static class RunningOverlay
{
    /// <summary>The SQL that merges a commit's changes (<paramref name="changes"/>, a text parameter or column) into <paramref name="column"/>.</summary>
    public static string Merge(string column, string changes)
        => $"CASE WHEN {changes} IS NULL THEN {column} ELSE nullif(jsonb_strip_nulls(coalesce({column}, '{{}}') || {changes}::jsonb), '{{}}') END";

    public static bool IsRunning(StepRecord step) => step.Status == StepStatus.Running;

    public static bool IsRunning(AttemptRecord attempt) => attempt.Outcome == AttemptOutcome.Running;

    /// <summary>The changes object of a commit's steps, or <see langword="null"/> when it writes none.</summary>
    public static string? StepChanges(IReadOnlyList<StepRecord> steps)
        => steps.Count == 0 ? null : Changes(steps, static s => s.Index.ToString(CultureInfo.InvariantCulture), IsRunning, PositionalJson.WriteStep);

    /// <summary>The changes object of a commit's attempts, or <see langword="null"/> when it writes none.</summary>
    public static string? AttemptChanges(IReadOnlyList<AttemptRecord> attempts)
        => attempts.Count == 0 ? null : Changes(attempts, AttemptKey, IsRunning, PositionalJson.WriteAttempt);

    /// <summary>The steps of <paramref name="rows"/> (ordered by index) with the overlay's records in place of theirs.</summary>
    public static List<StepRecord> OverSteps(List<StepRecord> rows, string executionId, string? overlay)
    {
        if (overlay is null)
        {
            return rows;
        }

        var running = Read(overlay, executionId, PositionalJson.ReadStep);
        var merged = rows.Where(r => !running.Exists(s => s.Index == r.Index)).Concat(running).ToList();
        merged.Sort(static (a, b) => a.Index.CompareTo(b.Index));
        return merged;
    }

    /// <summary>The attempts of <paramref name="rows"/> with the overlay's records in place of theirs, ordered by step, run and number.</summary>
    public static List<AttemptRecord> OverAttempts(List<AttemptRecord> rows, string executionId, string? overlay)
    {
        if (overlay is null)
        {
            return rows;
        }

        var running = Read(overlay, executionId, PositionalJson.ReadAttempt);
        var merged = rows.Where(r => !running.Exists(a => a.StepIndex == r.StepIndex && a.Run == r.Run && a.Number == r.Number)).Concat(running).ToList();
        merged.Sort(static (a, b) => (a.StepIndex, a.Run, a.Number).CompareTo((b.StepIndex, b.Run, b.Number)));
        return merged;
    }

    /// <summary>The overlay's running attempts alone.</summary>
    public static IReadOnlyList<AttemptRecord> Attempts(string executionId, string? overlay)
        => overlay is null ? [] : Read(overlay, executionId, PositionalJson.ReadAttempt);

    private static string AttemptKey(AttemptRecord a) => string.Create(CultureInfo.InvariantCulture, $"{a.StepIndex}/{a.Run}/{a.Number}");

    private static string Changes<T>(IReadOnlyList<T> records, Func<T, string> key, Func<T, bool> running, Action<Utf8JsonWriter, T> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var record in records)
            {
                json.WritePropertyName(key(record));
                if (running(record))
                {
                    write(json, record);
                }
                else
                {
                    json.WriteNullValue();
                }
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static List<T> Read<T>(string overlay, string executionId, Func<string, JsonElement, T> read)
    {
        using var document = JsonDocument.Parse(overlay);
        var records = new List<T>();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            records.Add(read(executionId, property.Value));
        }

        return records;
    }
}
