using HyOpps.Workflows.Internal.Machine;

namespace HyOpps.Workflows.Tests.Machine;

/// <summary>Scheduled starts: created pending with a time, and the operator's <em>start now</em> from every status.</summary>
public sealed partial class ExecutionMachineTests
{
    [Fact]
    public void Start_WithNotBeforeInTheFuture_IsPendingUntilThenAndAuditedAsScheduled()
    {
        var at = Now.AddDays(6);

        var (execution, _, audit) = ExecutionMachine.Start("e1", Definition(2), "{}", new StartExecutionOptions { NotBefore = at }, null, Now);

        Assert.Equal((ExecutionStatus.Pending, at, ExecutionMachine.ScheduledReason), (execution.Status, execution.NextRunAt, execution.WaitingReason));
        Assert.Contains("scheduled for 2026-12-07 09:00:00Z", audit.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_WithNotBeforeInThePast_RunsAtOnce()
    {
        var (execution, _, audit) = ExecutionMachine.Start("e1", Definition(2), "{}", new StartExecutionOptions { NotBefore = Now.AddSeconds(-1) }, null, Now);

        Assert.Equal((null, null), (execution.NextRunAt, execution.WaitingReason));
        Assert.DoesNotContain("scheduled", audit.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AllStatuses))]
    public void StartNow_OnlyAnExecutionScheduledForLater(ExecutionStatus status)
    {
        var view = Claimed(status);
        view = view with { Execution = view.Execution with { LeaseOwner = null, LeaseExpiresAt = null, NextRunAt = Now.AddDays(1), WaitingReason = ExecutionMachine.ScheduledReason } };

        if (status != ExecutionStatus.Pending)
        {
            var refused = Assert.Throws<ExecutionStateException>(() => ExecutionMachine.StartNow(view, Now));
            Assert.Contains($"is {status} and not scheduled for later", refused.Message, StringComparison.Ordinal);
            return;
        }

        var t = ExecutionMachine.StartNow(view, Now);

        Assert.Equal((ExecutionStatus.Pending, null, null, Now), (t.Execution.Status, t.Execution.NextRunAt, t.Execution.WaitingReason, t.Execution.UpdatedAt));
        Assert.Empty(t.Steps);
        Assert.False(t.Settles);
    }

    [Fact]
    public void StartNow_APendingRetryBackoffOrAPassedTime_IsRefused()
    {
        var view = Claimed(ExecutionStatus.Pending);
        var backoff = view with { Execution = view.Execution with { NextRunAt = Now.AddMinutes(1), WaitingReason = "Attempt 1 failed" } };
        var passed = view with { Execution = view.Execution with { NextRunAt = Now, WaitingReason = ExecutionMachine.ScheduledReason } };

        Assert.Throws<ExecutionStateException>(() => ExecutionMachine.StartNow(backoff, Now));
        Assert.Throws<ExecutionStateException>(() => ExecutionMachine.StartNow(passed, Now));
    }
}
