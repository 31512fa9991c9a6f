using System.Globalization;
using System.Text.Json;
using HyOpps.SampleHost.Api;
using HyOpps.Workflows;

namespace HyOpps.SampleHost.Demo;

/// <summary>
/// Turns successive snapshots of one execution into a line per step transition: an attempt started, an attempt failed and
/// the step will retry (with the error in words), the step succeeded (its output's key fields), was skipped (and why),
/// failed or waits for approval. Works from the recorded attempts, so a transition between two snapshots is not lost.
/// </summary>
internal sealed class DemoNarrator(bool verbose)
{
    private const int StepIdWidth = 28;
    private const int PrefixWidth = 3 + 1 + StepIdWidth + 1;

    // A step's success line with its output's key fields takes at most this many lines.
    private const int SummaryLines = 2;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private readonly HashSet<(int Step, int Run, int Number)> _started = [];
    private readonly HashSet<(int Step, int Run, int Number)> _ended = [];
    private readonly Dictionary<int, (int Run, StepStatus Status)> _reported = [];

    /// <summary>Returns the lines for what changed since the previous snapshot (none when nothing did).</summary>
    public IReadOnlyList<string> Observe(ExecutionDetailResponse execution)
    {
        ArgumentNullException.ThrowIfNull(execution);
        var lines = new List<string>();
        foreach (var step in execution.Steps)
        {
            var prefix = string.Create(CultureInfo.InvariantCulture, $"{step.Number,3} {step.Id.PadRight(StepIdWidth)} ");
            foreach (var attempt in step.Attempts.OrderBy(a => a.Run).ThenBy(a => a.Number))
            {
                var key = (step.Number, attempt.Run, attempt.Number);
                if (_started.Add(key))
                {
                    lines.AddRange(ConsoleText.Wrap(prefix, attempt.Number == 1 && attempt.Run == 1 ? "started" : AttemptName(attempt) + " started"));
                }

                if (attempt.Outcome is AttemptOutcome.Failed or AttemptOutcome.Abandoned && _ended.Add(key)
                    && !IsFinalFailure(step, attempt))
                {
                    var when = RetryDelay(execution, step, attempt) is { } delay ? $"retrying in {delay}" : "retrying";
                    var reason = attempt.Outcome == AttemptOutcome.Abandoned
                        ? "the worker stopped before the attempt ended"
                        : attempt.Error ?? "no error message";
                    lines.AddRange(ConsoleText.Wrap(prefix, $"{AttemptName(attempt)} failed, {when}: {reason}"));
                }
            }

            if (step.Status is StepStatus.Succeeded or StepStatus.Skipped or StepStatus.Failed or StepStatus.WaitingForApproval
                && (!_reported.TryGetValue(step.Number, out var last) || last != (step.Run, step.Status)))
            {
                _reported[step.Number] = (step.Run, step.Status);
                lines.AddRange(ConsoleText.Wrap(prefix, Outcome(execution, step)));
                if (verbose && step.Output is { } output)
                {
                    lines.AddRange(JsonSerializer.Serialize(output, Indented).Split('\n').Select(l => new string(' ', 6) + l.TrimEnd('\r')));
                }
            }
        }

        return lines;
    }

    private static string Outcome(ExecutionDetailResponse execution, StepResponse step)
    {
        var tries = step.Attempts.Count(a => a.Run == step.Run);
        var took = $"in {OutputSummary.Duration(step.DurationMs)}" + (tries > 1 ? $" after {tries} attempts" : string.Empty);
        switch (step.Status)
        {
            case StepStatus.Succeeded:
                var head = $"succeeded {took}: ";
                var summary = OutputSummary.Summarize(step.Output, SummaryLines * (ConsoleText.Width - PrefixWidth) - head.Length);
                return summary.Length > 0 ? head + summary : head.TrimEnd(' ', ':');
            case StepStatus.Skipped:
                var reason = step.Output is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty("reason", out var r) ? r.GetString() : null;
                return $"skipped: {reason ?? "no reason given"}";
            case StepStatus.WaitingForApproval:
                return $"waits for a person's approval: {execution.WaitingOn ?? "see the dashboard"}";
            default:
                var kind = step.ErrorType is { Length: > 0 } type ? $" ({type})" : string.Empty;
                return $"failed{kind} {took}: {step.Error ?? "no error message"}";
        }
    }

    private static string AttemptName(StepAttemptResponse attempt)
        => attempt.Run == 1 ? $"attempt {attempt.Number}" : $"run {attempt.Run} attempt {attempt.Number}";

    // The step's last attempt of a step that failed for good is told by the step's own "failed" line.
    private static bool IsFinalFailure(StepResponse step, StepAttemptResponse attempt)
        => step.Status == StepStatus.Failed && attempt.Run == step.Run && attempt.Number == step.Attempts.Where(a => a.Run == step.Run).Max(a => a.Number);

    // NextRunAt is the pending step's next attempt only while that step is the current one and not yet running again.
    private static string? RetryDelay(ExecutionDetailResponse execution, StepResponse step, StepAttemptResponse attempt)
        => step.Status == StepStatus.Pending && execution.CurrentStepId == step.Id
            && execution.NextRunAt is { } next && attempt.EndedAt is { } ended && next > ended
            ? OutputSummary.Duration((next - ended).TotalMilliseconds)
            : null;
}
