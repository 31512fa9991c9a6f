using HyOpps.Workflows.Internal.Machine;
using HyOpps.Workflows.Storage;
using Microsoft.Extensions.Time.Testing;

namespace HyOpps.Workflows.Tests.Machine;

/// <summary>The events a worker reports, each from the states in which a worker can hold the execution; no store, no threads.</summary>
public sealed partial class ExecutionMachineTests
{
    private const string Worker = "w1";

    private static readonly RetryPolicy ThreeAttempts = new() { MaxAttempts = 3, MaxTotalDuration = TimeSpan.FromHours(1) };

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

    private DateTimeOffset Now => _time.GetUtcNow();

    [Fact]
    public void Start_CreatesAPendingExecutionWithPendingStepsItsTraceAndAnAuditEntry()
    {
        var definition = Definition(3);

        var (execution, steps, audit) = ExecutionMachine.Start("e1", definition, "{\"a\":1}", new StartExecutionOptions { IdempotencyKey = "k", Actor = "ops" }, "00-aa-bb-01", Now);

        Assert.Equal(ExecutionStatus.Pending, execution.Status);
        Assert.Equal(("wf", 1, "{\"a\":1}", "k", "00-aa-bb-01"), (execution.WorkflowName, execution.WorkflowVersion, execution.Input, execution.IdempotencyKey, execution.TraceParent));
        Assert.Equal(["s0", "s1", "s2"], steps.Select(s => s.StepId));
        Assert.All(steps, s => Assert.Equal(StepStatus.Pending, s.Status));
        Assert.Equal(("ops", "start", Now), (audit.Actor, audit.Action, audit.At));
    }

    [Fact]
    public void StartAttempt_Pending_RunsTheStepUnderTheLease()
    {
        var view = Claimed(ExecutionStatus.Pending);

        var t = ExecutionMachine.StartAttempt(view, ThreeAttempts, Worker, Now.AddMinutes(1), Now);

        Assert.Equal(ExecutionStatus.Running, t.Execution.Status);
        Assert.Equal((Worker, Now.AddMinutes(1)), (t.Execution.LeaseOwner, t.Execution.LeaseExpiresAt));
        var step = Assert.Single(t.Steps);
        Assert.Equal((StepStatus.Running, 1, Now), (step.Status, step.Attempts, step.FirstAttemptAt));
        var attempt = Assert.Single(t.Attempts);
        Assert.Equal((1, AttemptOutcome.Running, Worker), (attempt.Number, attempt.Outcome, attempt.WorkerId));
        Assert.False(t.Settles);
    }

    [Fact]
    public void StartAttempt_AbandonedAttemptsDoNotUseTheBudget()
    {
        var view = Claimed(ExecutionStatus.Pending, current: s => s with { Attempts = 6, AbandonedAttempts = 4 });

        var t = ExecutionMachine.StartAttempt(view, ThreeAttempts, Worker, Now.AddMinutes(1), Now);

        Assert.Equal(7, Assert.Single(t.Attempts).Number);
        Assert.Equal(ExecutionStatus.Running, t.Execution.Status);
    }

    [Fact]
    public void StartAttempt_FailedAttemptsFillThePolicy_FailsTheExecution()
    {
        var view = Claimed(ExecutionStatus.Pending, current: s => s with { Attempts = 3, Error = "boom", ErrorType = StepErrorTypes.Transient });

        var t = ExecutionMachine.StartAttempt(view, ThreeAttempts, Worker, Now.AddMinutes(1), Now);

        Assert.Equal(ExecutionStatus.Failed, t.Execution.Status);
        Assert.Contains("failed 3 times", t.Execution.Error, StringComparison.Ordinal);
        Assert.Empty(t.Attempts);
        Assert.Null(t.Execution.LeaseOwner);
    }

    [Fact]
    public void AttemptCompleted_Succeeded_MovesToTheNextStepKeepingTheLease()
    {
        var (view, attempt) = Attempting();

        var t = ExecutionMachine.AttemptCompleted(view, attempt, StepOutcome.Succeeded, "{\"x\":1}", null, Now);

        Assert.Equal((ExecutionStatus.Running, 1, Worker), (t.Execution.Status, t.Execution.CurrentStepIndex, t.Execution.LeaseOwner));
        Assert.Equal((StepStatus.Succeeded, "{\"x\":1}"), (t.Steps[0].Status, t.Steps[0].Output));
        Assert.Equal((AttemptOutcome.Succeeded, Now), (t.Attempts[0].Outcome, t.Attempts[0].EndedAt));
        Assert.False(t.Releases);
    }

    [Fact]
    public void AttemptCompleted_LastStepSucceeded_SucceedsTheExecutionAndReleasesIt()
    {
        var (view, attempt) = Attempting(index: 2);

        var t = ExecutionMachine.AttemptCompleted(view, attempt, StepOutcome.Succeeded, null, null, Now);

        Assert.Equal((ExecutionStatus.Succeeded, 3, Now), (t.Execution.Status, t.Execution.CurrentStepIndex, t.Execution.CompletedAt));
        Assert.True(t.Settles);
        Assert.True(t.Releases);
    }

    [Fact]
    public void AttemptCompleted_Skipped_RecordsTheSkipAndMovesOn()
    {
        var (view, attempt) = Attempting();

        var t = ExecutionMachine.AttemptCompleted(view, attempt, StepOutcome.Skipped, "{\"skipped\":true}", "no group", Now);

        Assert.Equal(StepStatus.Skipped, t.Steps[0].Status);
        Assert.Equal(AttemptOutcome.Skipped, t.Attempts[0].Outcome);
        Assert.Equal(1, t.Execution.CurrentStepIndex);
    }

    [Fact]
    public void AttemptCompleted_WaitForApproval_ParksTheExecutionWithTheReason()
    {
        var (view, attempt) = Attempting();

        var t = ExecutionMachine.AttemptCompleted(view, attempt, StepOutcome.WaitingForApproval, null, "approve me", Now);

        Assert.Equal((ExecutionStatus.WaitingForApproval, "approve me", 0), (t.Execution.Status, t.Execution.WaitingReason, t.Execution.CurrentStepIndex));
        Assert.Equal(StepStatus.WaitingForApproval, t.Steps[0].Status);
        Assert.Null(t.Steps[0].CompletedAt);
        Assert.True(t.Releases);
        Assert.False(t.Settles);
    }

    [Fact]
    public void AttemptFailed_TransientWithinBudget_WaitsForTheBackoff()
    {
        var (view, attempt) = Attempting();

        var t = ExecutionMachine.AttemptFailed(view, attempt, new StepFailure("502", StepErrorTypes.Transient, true, TimeSpan.FromSeconds(4)), ThreeAttempts, Now);

        Assert.Equal((ExecutionStatus.Pending, Now.AddSeconds(4)), (t.Execution.Status, t.Execution.NextRunAt));
        Assert.Contains("Attempt 1 of step 's0' failed: 502", t.Execution.WaitingReason, StringComparison.Ordinal);
        Assert.Equal((StepStatus.Pending, "502"), (t.Steps[0].Status, t.Steps[0].Error));
        Assert.Equal((AttemptOutcome.Failed, "502"), (t.Attempts[0].Outcome, t.Attempts[0].Error));
        Assert.True(t.Releases);
    }

    [Fact]
    public void AttemptFailed_TransientOutOfAttempts_FailsNamingTheAttempts()
    {
        var (view, attempt) = Attempting(attempts: 3);

        var t = ExecutionMachine.AttemptFailed(view, attempt, new StepFailure("502", StepErrorTypes.Transient, true, TimeSpan.FromSeconds(4)), ThreeAttempts, Now);

        Assert.Equal(ExecutionStatus.Failed, t.Execution.Status);
        Assert.Equal("Step 's0' failed (after 3 attempts): 502", t.Execution.Error);
        Assert.Equal(StepStatus.Failed, t.Steps[0].Status);
    }

    [Fact]
    public void AttemptFailed_AbandonedAttemptsDoNotCountAgainstThePolicy()
    {
        var (view, attempt) = Attempting(attempts: 5, abandoned: 3);

        var t = ExecutionMachine.AttemptFailed(view, attempt, new StepFailure("502", StepErrorTypes.Transient, true, TimeSpan.FromSeconds(4)), ThreeAttempts, Now);

        Assert.Equal(ExecutionStatus.Pending, t.Execution.Status);
    }

    [Fact]
    public void AttemptFailed_Permanent_FailsAtOnce()
    {
        var (view, attempt) = Attempting();

        var t = ExecutionMachine.AttemptFailed(view, attempt, new StepFailure("SMTP is not configured", StepErrorTypes.NotConfigured, false, TimeSpan.Zero), ThreeAttempts, Now);

        Assert.Equal((ExecutionStatus.Failed, StepErrorTypes.NotConfigured), (t.Execution.Status, t.Execution.ErrorType));
        Assert.Equal("Step 's0' failed: SMTP is not configured", t.Execution.Error);
    }

    [Fact]
    public void AttemptFailed_Timeout_IsRetriedLikeATransientFailure()
    {
        var (view, attempt) = Attempting();

        var t = ExecutionMachine.AttemptFailed(view, attempt, new StepFailure("The step did not finish within its timeout of 00:00:05.", StepErrorTypes.Timeout, true, TimeSpan.FromSeconds(2)), ThreeAttempts, Now);

        Assert.Equal(ExecutionStatus.Pending, t.Execution.Status);
        Assert.Equal(StepErrorTypes.Timeout, t.Attempts[0].ErrorType);
    }

    [Fact]
    public void AttemptFailed_BackoffBeyondTheTotalDuration_FailsNamingTheBudget()
    {
        var (view, attempt) = Attempting(firstAttemptAt: Now.AddMinutes(-59));

        var t = ExecutionMachine.AttemptFailed(view, attempt, new StepFailure("502", StepErrorTypes.Transient, true, TimeSpan.FromMinutes(2)), ThreeAttempts, Now);

        Assert.Equal(ExecutionStatus.Failed, t.Execution.Status);
        Assert.Contains("retry budget of 01:00:00 used up after 1 attempts", t.Execution.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void AttemptAbandoned_ByAStoppingHost_LeavesTheStepForTheNextClaimAndCountsIt()
    {
        var (view, attempt) = Attempting();

        var t = ExecutionMachine.AttemptAbandoned(view, attempt, Now);

        Assert.Equal(ExecutionStatus.Pending, t.Execution.Status);
        Assert.Null(t.Execution.LeaseOwner);
        Assert.Equal((StepStatus.Pending, 1), (t.Steps[0].Status, t.Steps[0].AbandonedAttempts));
        Assert.Equal(AttemptOutcome.Abandoned, t.Attempts[0].Outcome);
    }

    [Fact]
    public void HandBack_ByAHostStoppingBetweenSteps_CommitsTheFinishedStepAndReleasesTheExecution()
    {
        var (view, attempt) = Attempting();
        var succeeded = ExecutionMachine.AttemptCompleted(view, attempt, StepOutcome.Succeeded, "{}", null, Now);

        var t = succeeded.Then(ExecutionMachine.HandBack(view.Apply(succeeded), Now));

        Assert.Equal((ExecutionStatus.Pending, 1, null, null, null), (t.Execution.Status, t.Execution.CurrentStepIndex, t.Execution.LeaseOwner, t.Execution.LeaseExpiresAt, t.Execution.NextRunAt));
        Assert.True(t.Releases);
        Assert.False(t.Settles);
        Assert.Equal(StepStatus.Succeeded, Assert.Single(t.Steps).Status);
        Assert.Equal(AttemptOutcome.Succeeded, Assert.Single(t.Attempts).Outcome);
    }

    [Fact]
    public void Resume_AttemptLeftRunning_IsAbandonedWithoutUsingTheBudget()
    {
        var (view, attempt) = Attempting(attempts: 2, abandoned: 1);

        var t = ExecutionMachine.Resume(view, [attempt], maxAbandoned: 10, Now);

        Assert.False(t.Settles);
        Assert.Equal((AttemptOutcome.Abandoned, ExecutionMachine.AbandonedByStop), (t.Attempts[0].Outcome, t.Attempts[0].Error));
        Assert.Equal((StepStatus.Pending, 2, 2), (t.Steps[0].Status, t.Steps[0].Attempts, t.Steps[0].AbandonedAttempts));
    }

    [Fact]
    public void StartAttempt_RecordsTheInputFromTheStart_AndResumeAfterACrashKeepsIt()
    {
        var view = Claimed(ExecutionStatus.Pending);

        var started = ExecutionMachine.StartAttempt(view, ThreeAttempts, Worker, Now.AddMinutes(1), Now, """{"email":"ada@example.com"}""");
        var t = ExecutionMachine.Resume(view.Apply(started), started.Attempts, maxAbandoned: 10, Now.AddMinutes(2));

        Assert.Equal("""{"email":"ada@example.com"}""", started.Attempts[0].Input);
        Assert.Equal((AttemptOutcome.Abandoned, """{"email":"ada@example.com"}"""), (t.Attempts[0].Outcome, t.Attempts[0].Input));
    }

    [Fact]
    public void Resume_StepAbandonedTheCrashLoopLimit_FailsSayingTheWorkerKeptStopping()
    {
        var (view, attempt) = Attempting(attempts: 10, abandoned: 9);

        var t = ExecutionMachine.Resume(view, [attempt], maxAbandoned: 10, Now);

        Assert.True(t.Settles);
        Assert.Equal(ExecutionStatus.Failed, t.Execution.Status);
        Assert.Contains("Step 's0' was abandoned 10 times: the worker kept stopping during this step", t.Execution.Error, StringComparison.Ordinal);
        Assert.Equal(AttemptOutcome.Abandoned, Assert.Single(t.Attempts).Outcome);
        Assert.Equal((StepStatus.Failed, 10), (Assert.Single(t.Steps).Status, t.Steps[0].AbandonedAttempts));
    }

    [Fact]
    public void Resume_AttemptOfAnEarlierRun_IsClosedButNotCounted()
    {
        var (view, attempt) = Attempting(run: 2);

        var t = ExecutionMachine.Resume(view, [attempt with { Run = 1 }], maxAbandoned: 10, Now);

        Assert.Equal(AttemptOutcome.Abandoned, t.Attempts[0].Outcome);
        Assert.Empty(t.Steps);
    }

    [Fact]
    public void Resume_NothingLeftRunning_ChangesNothing()
    {
        var view = Claimed(ExecutionStatus.Pending);

        var t = ExecutionMachine.Resume(view, [], maxAbandoned: 10, Now);

        Assert.Equal(view.Execution, t.Execution);
        Assert.Empty(t.Steps);
        Assert.Empty(t.Attempts);
    }

    [Fact]
    public void SkipByCondition_RecordsTheReasonAsOutputAndMovesOn()
    {
        var view = Claimed(ExecutionStatus.Running);

        var t = ExecutionMachine.SkipByCondition(view, "no Slack group", Now);

        Assert.Equal((StepStatus.Skipped, "{\"skipped\":true,\"reason\":\"no Slack group\"}"), (t.Steps[0].Status, t.Steps[0].Output));
        Assert.Equal(1, t.Execution.CurrentStepIndex);
        Assert.Empty(t.Attempts);
    }

    [Fact]
    public void WaitForApproval_ManualStep_ParksTheExecutionWithThePrompt()
    {
        var view = Claimed(ExecutionStatus.Running, index: 1);

        var t = ExecutionMachine.WaitForApproval(view, "Check the account", Now);

        Assert.Equal((ExecutionStatus.WaitingForApproval, "Check the account"), (t.Execution.Status, t.Execution.WaitingReason));
        Assert.Equal(StepStatus.WaitingForApproval, Assert.Single(t.Steps).Status);
        Assert.True(t.Releases);
    }

    [Fact]
    public void Complete_AllStepsDone_Succeeds()
    {
        var view = Claimed(ExecutionStatus.Running, index: 3);

        var t = ExecutionMachine.Complete(view, Now);

        Assert.Equal((ExecutionStatus.Succeeded, 3), (t.Execution.Status, t.Execution.CurrentStepIndex));
    }

    [Fact]
    public void NotRunnable_And_ConditionFailed_FailTheExecution()
    {
        var view = Claimed(ExecutionStatus.Running);

        var notRunnable = ExecutionMachine.NotRunnable(view, "Workflow 'wf' version 1 is not registered on this host.", Now);
        var condition = ExecutionMachine.ConditionFailed(view, "boom", Now);

        Assert.Equal((ExecutionStatus.Failed, StepErrorTypes.NotConfigured), (notRunnable.Execution.Status, notRunnable.Execution.ErrorType));
        Assert.Empty(notRunnable.Steps);
        Assert.Equal("Step 's0' condition failed: boom", condition.Execution.Error);
        Assert.Equal(StepStatus.Failed, condition.Steps[0].Status);
    }

    [Fact]
    public void Then_StepSuccessAndNextStart_MakeOneCommitWithTheLaterRecords()
    {
        var (view, attempt) = Attempting();
        var succeeded = ExecutionMachine.AttemptCompleted(view, attempt, StepOutcome.Succeeded, null, null, Now);
        var started = ExecutionMachine.StartAttempt(view.Apply(succeeded), ThreeAttempts, Worker, Now.AddMinutes(1), Now);

        var both = succeeded.Then(started);

        Assert.Equal([0, 1], both.Steps.Select(s => s.Index));
        Assert.Equal([(0, AttemptOutcome.Succeeded), (1, AttemptOutcome.Running)], both.Attempts.Select(a => (a.StepIndex, a.Outcome)));
        Assert.Equal((ExecutionStatus.Running, 1), (both.Execution.Status, both.Execution.CurrentStepIndex));
        var commit = both.ToCommit(expectedFencingToken: 7);
        Assert.Equal((7L, (long?)null), (commit.ExpectedFencingToken!.Value, commit.ExpectedVersion));
    }

    private static WorkflowDefinition Definition(int steps)
    {
        var builder = new WorkflowBuilder("wf");
        for (var i = 0; i < steps; i++)
        {
            builder.Step($"s{i}", static (_, _) => ValueTask.FromResult(StepResult.Succeeded()));
        }

        return builder.Build();
    }

    /// <summary>An execution of three steps in <paramref name="status"/> at step <paramref name="index"/>, earlier steps succeeded.</summary>
    private ExecutionView Claimed(ExecutionStatus status, int index = 0, Func<StepRecord, StepRecord>? current = null)
    {
        var execution = new ExecutionRecord
        {
            Id = "e1",
            WorkflowName = "wf",
            WorkflowVersion = 1,
            Status = status,
            Input = "{}",
            CurrentStepIndex = index,
            CreatedAt = Now.AddMinutes(-1),
            UpdatedAt = Now.AddMinutes(-1),
            LeaseOwner = status is ExecutionStatus.Pending or ExecutionStatus.Running ? Worker : null,
            LeaseExpiresAt = status is ExecutionStatus.Pending or ExecutionStatus.Running ? Now.AddMinutes(1) : null,
            CompletedAt = status is ExecutionStatus.Succeeded or ExecutionStatus.Failed or ExecutionStatus.Cancelled ? Now.AddSeconds(-1) : null,
            Error = status == ExecutionStatus.Failed ? "boom" : null,
        };
        var steps = Enumerable.Range(0, 3).Select(i => new StepRecord
        {
            ExecutionId = "e1",
            Index = i,
            StepId = $"s{i}",
            Status = i < index ? StepStatus.Succeeded
                : i > index ? StepStatus.Pending
                : status switch
                {
                    ExecutionStatus.Running => StepStatus.Running,
                    ExecutionStatus.WaitingForApproval => StepStatus.WaitingForApproval,
                    ExecutionStatus.Failed => StepStatus.Failed,
                    ExecutionStatus.Cancelled => StepStatus.Cancelled,
                    ExecutionStatus.Succeeded => StepStatus.Succeeded,
                    _ => StepStatus.Pending,
                },
            Output = i < index ? "{\"done\":true}" : null,
            Checkpoint = i == index ? "{\"sent\":true}" : null,
        }).ToArray();
        if (index < steps.Length && current is not null)
        {
            steps[index] = current(steps[index]);
        }

        return new ExecutionView(execution, steps);
    }

    /// <summary>An execution whose step <paramref name="index"/> runs its attempt number <paramref name="attempts"/>.</summary>
    private (ExecutionView View, AttemptRecord Attempt) Attempting(int index = 0, int attempts = 1, int abandoned = 0, int run = 1, DateTimeOffset? firstAttemptAt = null)
    {
        var view = Claimed(ExecutionStatus.Running, index, s => s with
        {
            Attempts = attempts,
            AbandonedAttempts = abandoned,
            Run = run,
            StartedAt = Now,
            FirstAttemptAt = firstAttemptAt ?? Now,
        });
        var attempt = new AttemptRecord
        {
            ExecutionId = "e1",
            StepIndex = index,
            StepId = $"s{index}",
            Run = run,
            Number = attempts,
            WorkerId = Worker,
            StartedAt = Now,
            Outcome = AttemptOutcome.Running,
        };
        _time.Advance(TimeSpan.FromSeconds(1));
        return (view, attempt);
    }
}
