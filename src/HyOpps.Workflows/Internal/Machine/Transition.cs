using HyOpps.Workflows.Storage;

namespace HyOpps.Workflows.Internal.Machine;

/// <summary>What one event changes in an execution: its new row and the steps and attempts to write, in one commit.</summary>
internal sealed record Transition(ExecutionRecord Execution, IReadOnlyList<StepRecord> Steps, IReadOnlyList<AttemptRecord> Attempts)
{
    /// <summary>Gets a value indicating whether the commit revokes every lease (an operator's cancel).</summary>
    public bool RevokeLease { get; init; }

    /// <summary>Gets a value indicating whether the execution reaches a final status with this transition.</summary>
    public bool Settles => Execution.Status is ExecutionStatus.Succeeded or ExecutionStatus.Failed or ExecutionStatus.Cancelled;

    /// <summary>Gets a value indicating whether the execution stops progressing here until a claim, an operator or a timer moves it.</summary>
    public bool Releases => Execution.LeaseOwner is null;

    /// <summary>Returns one transition doing this one and then <paramref name="next"/>: later step and attempt records replace earlier ones.</summary>
    public Transition Then(Transition next)
    {
        var steps = new SortedDictionary<int, StepRecord>();
        foreach (var step in Steps.Concat(next.Steps))
        {
            steps[step.Index] = step;
        }

        var attempts = new List<AttemptRecord>(Attempts.Count + next.Attempts.Count);
        foreach (var attempt in Attempts.Concat(next.Attempts))
        {
            var same = attempts.FindIndex(a => a.StepIndex == attempt.StepIndex && a.Run == attempt.Run && a.Number == attempt.Number);
            if (same >= 0)
            {
                attempts[same] = attempt;
            }
            else
            {
                attempts.Add(attempt);
            }
        }

        return new Transition(next.Execution, [.. steps.Values], attempts) { RevokeLease = RevokeLease || next.RevokeLease };
    }

    /// <summary>Returns the commit of this transition under a worker's fencing token or an operator's expected version, with its notification events when <paramref name="notify"/>.</summary>
    public ExecutionCommit ToCommit(long? expectedFencingToken = null, long? expectedVersion = null, IReadOnlyList<AuditRecord>? audit = null, bool notify = false) => new()
    {
        Execution = Execution,
        ExpectedFencingToken = expectedFencingToken,
        ExpectedVersion = expectedVersion,
        RevokeLease = RevokeLease,
        Steps = Steps,
        Attempts = Attempts,
        Audit = audit ?? [],
        Notifications = notify ? ExecutionMachine.Notifications(this) : [],
    };
}
