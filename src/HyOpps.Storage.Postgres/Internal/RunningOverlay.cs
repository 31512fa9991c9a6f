using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using HyOpps.Workflows;
using HyOpps.Workflows.Storage;

namespace HyOpps.Storage.Postgres.Internal;

/// <summary>
/// What the execution row holds of its steps and attempts, laid over their rows by every read: the ids of the steps it
/// was created with (<c>step_ids</c>), and its running records (a running step, its running attempt) as two JSON
/// objects keyed by record: <c>running_steps</c> by step index, <c>running_attempts</c> by <c>index/run/number</c>, each
/// record a positional array (<see cref="PositionalJson"/>).
/// </summary>
/// <remarks>
/// A step's commit updates the execution row anyway; a running record there costs nothing more, where a row of its own
/// costs an insert and, when the step ends, an update of that row. A record written by a commit goes to the overlay
/// while it runs and to its table once it has ended, and the commit removes its key from the overlay: a commit's
/// <em>changes</em> object maps each key it writes to the running record or to <c>null</c>, which the statement merges
/// into the row's object and strips. A step not yet started has no row at all: the step ids imply its pending record.
/// Reads lay the overlay over the rows, and the rows over the implied records: the newer wins.
/// </remarks>
internal readonly record struct RunningOverlay(string[]? StepIds, string? RunningSteps, string? RunningAttempts)
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

    /// <summary>The pending record a step has until it first changes, which no row holds.</summary>
    public static StepRecord Pending(string executionId, int index, string stepId) => new() { ExecutionId = executionId, Index = index, StepId = stepId };

    /// <summary>The steps: the implied pending records, the rows over them, the running records over those; ordered by index.</summary>
    public List<StepRecord> Steps(string executionId, List<StepRecord> rows)
    {
        if (StepIds is null && RunningSteps is null)
        {
            return rows;
        }

        var steps = new SortedDictionary<int, StepRecord>();
        for (var i = 0; i < (StepIds?.Length ?? 0); i++)
        {
            steps[i] = Pending(executionId, i, PgValues.Decode(StepIds![i]));
        }

        foreach (var row in rows)
        {
            steps[row.Index] = row;
        }

        foreach (var running in Read(RunningSteps, executionId, PositionalJson.ReadStep))
        {
            steps[running.Index] = running;
        }

        return [.. steps.Values];
    }

    /// <summary>The attempts of <paramref name="rows"/> with the running records in place of theirs, ordered by step, run and number.</summary>
    public List<AttemptRecord> Attempts(string executionId, List<AttemptRecord> rows)
    {
        if (RunningAttempts is null)
        {
            return rows;
        }

        var running = Read(RunningAttempts, executionId, PositionalJson.ReadAttempt);
        var merged = rows.Where(r => !running.Exists(a => a.StepIndex == r.StepIndex && a.Run == r.Run && a.Number == r.Number)).Concat(running).ToList();
        merged.Sort(static (a, b) => (a.StepIndex, a.Run, a.Number).CompareTo((b.StepIndex, b.Run, b.Number)));
        return merged;
    }

    /// <summary>The running attempts alone.</summary>
    public IReadOnlyList<AttemptRecord> RunningAttemptRecords(string executionId) => Read(RunningAttempts, executionId, PositionalJson.ReadAttempt);

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

    private static List<T> Read<T>(string? overlay, string executionId, Func<string, JsonElement, T> read)
    {
        if (overlay is null)
        {
            return [];
        }

        using var document = JsonDocument.Parse(overlay);
        var records = new List<T>();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            records.Add(read(executionId, property.Value));
        }

        return records;
    }
}
