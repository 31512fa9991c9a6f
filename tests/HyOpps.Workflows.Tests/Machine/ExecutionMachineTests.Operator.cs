using System.Text.Json.Nodes;
using HyOpps.Workflows.Internal;
using HyOpps.Workflows.Internal.Machine;
using HyOpps.Workflows.Storage;

namespace HyOpps.Workflows.Tests.Machine;

/// <summary>The operator's events from every status: allowed ones change the records, the others are refused naming the status.</summary>
public sealed partial class ExecutionMachineTests
{
    public static TheoryData<ExecutionStatus> AllStatuses => new(Enum.GetValues<ExecutionStatus>());

    [Theory]
    [MemberData(nameof(AllStatuses))]
    public void Retry_OnlyAFailedExecution(ExecutionStatus status)
    {
        var view = Claimed(status, index: 1);

        if (status != ExecutionStatus.Failed)
        {
            var refused = Assert.Throws<ExecutionStateException>(() => ExecutionMachine.Retry(view, Now));
            Assert.Contains($"is {status}; only a failed execution can be retried", refused.Message, StringComparison.Ordinal);
            return;
        }

        var t = ExecutionMachine.Retry(view, Now);

        Assert.Equal((ExecutionStatus.Pending, 1, null, null), (t.Execution.Status, t.Execution.CurrentStepIndex, t.Execution.Error, t.Execution.CompletedAt));
        var step = Assert.Single(t.Steps);
        Assert.Equal((StepStatus.Pending, 2, 0, "{\"sent\":true}"), (step.Status, step.Run, step.Attempts, step.Checkpoint));
    }

    [Theory]
    [MemberData(nameof(AllStatuses))]
    public void RerunFrom_AnyExecutionNotInFlight(ExecutionStatus status)
    {
        var view = Claimed(status, index: 2);

        if (status is ExecutionStatus.Pending or ExecutionStatus.Running)
        {
            var refused = Assert.Throws<ExecutionStateException>(() => ExecutionMachine.RerunFrom(view, "s1", null, Now));
            Assert.Contains($"is {status}; cancel it or wait", refused.Message, StringComparison.Ordinal);
            return;
        }

        var t = ExecutionMachine.RerunFrom(view, "s1", "{\"email\":\"a@b.c\"}", Now);

        Assert.Equal((ExecutionStatus.Pending, 1), (t.Execution.Status, t.Execution.CurrentStepIndex));
        Assert.Equal([1, 2], t.Steps.Select(s => s.Index));
        Assert.All(t.Steps, s => Assert.Equal((StepStatus.Pending, 2, null), (s.Status, s.Run, s.Output)));
        Assert.Equal(["{\"email\":\"a@b.c\"}", null], t.Steps.Select(s => s.InputOverride));
    }

    [Fact]
    public void RerunFrom_UnknownStep_IsRefusedNamingIt()
    {
        var refused = Assert.Throws<ExecutionStateException>(() => ExecutionMachine.RerunFrom(Claimed(ExecutionStatus.Failed), "nope", null, Now));

        Assert.Contains("has no step 'nope'", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AllStatuses))]
    public void Cancel_AnyExecutionNotSettled(ExecutionStatus status)
    {
        var view = Claimed(status, index: 1);
        var running = new AttemptRecord { ExecutionId = "e1", StepIndex = 1, StepId = "s1", Run = 1, Number = 1, StartedAt = Now, Outcome = AttemptOutcome.Running };

        if (status is ExecutionStatus.Succeeded or ExecutionStatus.Failed or ExecutionStatus.Cancelled)
        {
            var refused = Assert.Throws<ExecutionStateException>(() => ExecutionMachine.Cancel(view, [running], Now));
            Assert.Contains($"is {status} already", refused.Message, StringComparison.Ordinal);
            return;
        }

        var t = ExecutionMachine.Cancel(view, [running], Now);

        Assert.Equal((ExecutionStatus.Cancelled, Now, null), (t.Execution.Status, t.Execution.CompletedAt, t.Execution.LeaseOwner));
        Assert.True(t.RevokeLease);
        Assert.Equal((1, StepStatus.Cancelled), (Assert.Single(t.Steps).Index, t.Steps[0].Status));
        Assert.Equal(AttemptOutcome.Cancelled, Assert.Single(t.Attempts).Outcome);
        Assert.True(t.Settles);
    }

    [Theory]
    [MemberData(nameof(AllStatuses))]
    public void Approve_OnlyAStepWaitingForApproval(ExecutionStatus status)
    {
        var view = Claimed(status, index: 1);

        if (status != ExecutionStatus.WaitingForApproval)
        {
            var refused = Assert.Throws<ExecutionStateException>(() => ExecutionMachine.Approve(view, "ops", null, Now));
            Assert.Contains($"is {status}; no step is waiting for approval", refused.Message, StringComparison.Ordinal);
            return;
        }

        var t = ExecutionMachine.Approve(view, "ops", "looks right", Now);

        Assert.Equal((ExecutionStatus.Pending, 2, null), (t.Execution.Status, t.Execution.CurrentStepIndex, t.Execution.WaitingReason));
        var step = Assert.Single(t.Steps);
        Assert.Equal(StepStatus.Succeeded, step.Status);
        var output = JsonNode.Parse(step.Output!)!;
        Assert.Equal(("ops", "looks right"), ((string?)output["approved_by"], (string?)output["approval_comment"]));
    }

    [Fact]
    public void Approve_TheLastStep_SucceedsTheExecution()
    {
        var t = ExecutionMachine.Approve(Claimed(ExecutionStatus.WaitingForApproval, index: 2), "ops", null, Now);

        Assert.Equal((ExecutionStatus.Succeeded, 3, Now), (t.Execution.Status, t.Execution.CurrentStepIndex, t.Execution.CompletedAt));
        Assert.True(t.Settles);
    }

    [Theory]
    [MemberData(nameof(AllStatuses))]
    public void Reject_OnlyAStepWaitingForApproval(ExecutionStatus status)
    {
        var view = Claimed(status, index: 1);

        if (status != ExecutionStatus.WaitingForApproval)
        {
            Assert.Throws<ExecutionStateException>(() => ExecutionMachine.Reject(view, "ops", null, Now));
            return;
        }

        var t = ExecutionMachine.Reject(view, "ops", "wrong org", Now);

        Assert.Equal((ExecutionStatus.Failed, StepErrorTypes.Rejected), (t.Execution.Status, t.Execution.ErrorType));
        Assert.Equal("Step 's1' was rejected by ops: wrong org", t.Execution.Error);
        Assert.Equal((StepStatus.Failed, Now), (Assert.Single(t.Steps).Status, t.Steps[0].CompletedAt));
    }

    [Fact]
    public void Metrics_CountEveryWayAnExecutionSettles_FromTheCommittedTransition()
    {
        var completed = new List<(string Workflow, string Outcome)>();
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == HyOppsTelemetry.MeterName && instrument.Name == "hyopps.executions.completed")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var map = tags.ToArray().ToDictionary(t => t.Key, t => (string?)t.Value);
            if (map["hyopps.workflow"] == "metrics-wf")
            {
                lock (completed)
                {
                    completed.Add((map["hyopps.workflow"]!, map["outcome"]!));
                }
            }
        });
        listener.Start();
        ExecutionView Waiting(int index) => Rename(Claimed(ExecutionStatus.WaitingForApproval, index));

        RuntimeTelemetry.Committed(ExecutionMachine.Approve(Waiting(2), "ops", null, Now));
        RuntimeTelemetry.Committed(ExecutionMachine.Approve(Waiting(1), "ops", null, Now));
        RuntimeTelemetry.Committed(ExecutionMachine.Reject(Waiting(1), "ops", null, Now));
        RuntimeTelemetry.Committed(ExecutionMachine.Cancel(Rename(Claimed(ExecutionStatus.Pending)), [], Now));

        Assert.Equal([("metrics-wf", "succeeded"), ("metrics-wf", "rejected"), ("metrics-wf", "cancelled")], completed);
    }

    private static ExecutionView Rename(ExecutionView view) => view with { Execution = view.Execution with { WorkflowName = "metrics-wf" } };
}
