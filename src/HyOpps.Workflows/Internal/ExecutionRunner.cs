using System.Text.Json.Nodes;
using HyOpps.Workflows.Internal.Machine;
using HyOpps.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyOpps.Workflows.Internal;

/// <summary>
/// Runs the steps of one claimed execution: asks the state machine what each event changes and commits it before going on.
/// A step's success is committed together with the next step's start, so a step costs one commit; a host that is stopping
/// commits the success alone and hands the execution back.
/// </summary>
internal sealed partial class ExecutionRunner(
    ExecutionCommitter committer,
    WorkflowRegistry registry,
    StepInvoker invoker,
    IServiceScopeFactory scopeFactory,
    ExecutionSignals signals,
    IOptions<HyOppsOptions> options,
    TimeProvider time,
    ILogger<ExecutionRunner> logger)
{
    private readonly HyOppsOptions _options = options.Value;

    /// <summary>Runs a claimed execution, registered as <paramref name="running"/>, after the runner it replaced (<paramref name="previous"/>) has ended.</summary>
    public async Task RunAsync(ClaimedExecution claim, RunningExecution running, RunningExecution? previous, CancellationToken stopping)
    {
        var execution = claim.Execution;
        var state = new ExecutionState(ExecutionView.Of(execution, claim.Steps), execution.FencingToken);
        try
        {
            if (previous is not null)
            {
                await previous.Ended.WaitAsync(stopping).ConfigureAwait(false);
            }

            await RunStepsAsync(state, claim.RunningAttempts, running, stopping).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            LogRunnerFailed(logger, ex, execution.Id);
        }
        finally
        {
            signals.Unregister(execution.Id, running);
            signals.NotifyChanged(execution.Id);
        }
    }

    private async Task RunStepsAsync(ExecutionState state, IReadOnlyList<AttemptRecord> leftRunning, RunningExecution running, CancellationToken stopping)
    {
        var pending = Apply(state, null, ExecutionMachine.Resume(state.View, leftRunning, _options.MaxAbandonedAttempts, time.GetUtcNow()));
        if (pending.Settles)
        {
            await committer.CommitAsync(state, pending, stopping).ConfigureAwait(false);
            return;
        }

        var definition = registry.Find(state.Execution.WorkflowName, state.Execution.WorkflowVersion);
        if (definition is null)
        {
            var message = $"Workflow '{state.Execution.WorkflowName}' version {state.Execution.WorkflowVersion} is not registered on this host.";
            await committer.CommitAsync(state, Apply(state, pending, ExecutionMachine.NotRunnable(state.View, message, time.GetUtcNow())), stopping).ConfigureAwait(false);
            return;
        }

        while (true)
        {
            var now = time.GetUtcNow();
            var view = state.View;
            if (view.Index >= definition.Steps.Count || view.Index >= view.Steps.Count)
            {
                await committer.CommitAsync(state, Apply(state, pending, ExecutionMachine.Complete(view, now)), stopping).ConfigureAwait(false);
                return;
            }

            if (stopping.IsCancellationRequested)
            {
                await HandBackAsync(state, pending).ConfigureAwait(false);
                return;
            }

            var stepDefinition = definition.Steps[view.Index];
            if (stepDefinition.Condition is { } condition && view.Current.Status == StepStatus.Pending)
            {
                var (run, error) = await EvaluateAsync(state, condition).ConfigureAwait(false);
                if (error is not null)
                {
                    await committer.CommitAsync(state, Apply(state, pending, ExecutionMachine.ConditionFailed(view, error, now)), stopping).ConfigureAwait(false);
                    return;
                }

                if (!run)
                {
                    pending = Apply(state, pending, ExecutionMachine.SkipByCondition(view, stepDefinition.SkipReason ?? string.Empty, now));
                    if (pending.Settles)
                    {
                        await committer.CommitAsync(state, pending, stopping).ConfigureAwait(false);
                        return;
                    }

                    continue;
                }
            }

            if (stepDefinition.Kind == StepKind.Manual)
            {
                await committer.CommitAsync(state, Apply(state, pending, ExecutionMachine.WaitForApproval(view, stepDefinition.Prompt ?? string.Empty, now)), stopping).ConfigureAwait(false);
                return;
            }

            var policy = stepDefinition.RetryPolicy ?? _options.DefaultRetryPolicy;
            var started = false;
            var outcome = await invoker.InvokeAsync(
                state,
                stepDefinition,
                running,
                async inputJson =>
                {
                    if (stopping.IsCancellationRequested)
                    {
                        return false;
                    }

                    started = true;
                    var at = time.GetUtcNow();
                    pending = Apply(state, pending, ExecutionMachine.StartAttempt(state.View, policy, _options.WorkerId, LeaseUntil(state.View.Execution, at), at, inputJson));

                    // Awaited even when the host stops meanwhile: a start that lands unawaited would leave the execution
                    // leased to a runner that has gone. Once it has landed, the stopping step is abandoned, which releases it.
                    return await committer.CommitAsync(state, pending, CancellationToken.None).ConfigureAwait(false) && !pending.Settles;
                },
                (json, ct) => committer.SaveCheckpointAsync(state, json, ct),
                stopping).ConfigureAwait(false);
            if (!started)
            {
                // Stopped while mapping the input: the attempt never started. What went before it is still ours to commit.
                if (stopping.IsCancellationRequested)
                {
                    await HandBackAsync(state, pending).ConfigureAwait(false);
                }

                return;
            }

            if (outcome.Kind == AttemptKind.NotStarted)
            {
                return;
            }

            var attempt = pending.Attempts[^1];
            now = time.GetUtcNow();
            view = state.View;
            switch (outcome.Kind)
            {
                case AttemptKind.Completed:
                    var result = outcome.Result!;
                    LogStepCompleted(logger, attempt.ExecutionId, attempt.StepId, attempt.Number, result.Outcome);
                    pending = Apply(state, null, ExecutionMachine.AttemptCompleted(view, attempt, result.Outcome, Scrub(result.Output), result.Reason, now));
                    if (pending.Releases)
                    {
                        await committer.CommitAsync(state, pending, stopping).ConfigureAwait(false);
                        return;
                    }

                    break;

                case AttemptKind.Failed:
                    var error = outcome.Error!;
                    var failedSoFar = view.Current.Attempts - view.Current.AbandonedAttempts;
                    var failure = new StepFailure(error.Message, error.ErrorType, error.IsRetryable, policy.GetDelay(failedSoFar, error.RetryAfter, Random.Shared));
                    var failed = Apply(state, null, ExecutionMachine.AttemptFailed(view, attempt, failure, policy, now));
                    if (failed.Settles)
                    {
                        LogStepFailed(logger, error, attempt.ExecutionId, attempt.StepId, attempt.Number);
                    }
                    else
                    {
                        LogStepRetrying(logger, error, attempt.ExecutionId, attempt.StepId, attempt.Number, failure.Delay);
                    }

                    await committer.CommitAsync(state, failed, stopping).ConfigureAwait(false);
                    if (!failed.Settles)
                    {
                        signals.NotifyWork();
                    }

                    return;

                case AttemptKind.Shutdown:
                    await committer.CommitAsync(state, Apply(state, null, ExecutionMachine.AttemptAbandoned(view, attempt, now)), CancellationToken.None).ConfigureAwait(false);
                    return;

                default:
                    // Cancelled by an operator (who committed the cancel) or the lease was lost: nothing of ours may be written.
                    return;
            }
        }
    }

    /// <summary>
    /// Commits what this runner finished and gives the execution back, because the host is stopping: left leased, it would
    /// wait for its lease to expire before another host could go on with it.
    /// </summary>
    private async Task HandBackAsync(ExecutionState state, Transition? pending)
    {
        if (await committer.CommitAsync(state, Apply(state, pending, ExecutionMachine.HandBack(state.View, time.GetUtcNow())), CancellationToken.None).ConfigureAwait(false))
        {
            LogHandedBack(logger, state.Execution.Id, state.View.Index);
        }
    }

    /// <summary>The lease a step starts under: the one held while most of it is left, else a full new one.</summary>
    /// <remarks>
    /// Keeping it leaves the claim index's key unchanged, so that on PostgreSQL a step's commit is a heap-only update that
    /// writes no index entry. The heartbeat renews every third of the lease while a step runs, so at least half is left
    /// at any renewal, as it would be after the previous renewal.
    /// </remarks>
    private DateTimeOffset LeaseUntil(ExecutionRecord execution, DateTimeOffset now)
        => execution is { LeaseOwner: { } owner, LeaseExpiresAt: { } expires } && owner == _options.WorkerId && expires - now >= _options.LeaseDuration * 5 / 6
            ? expires
            : now + _options.LeaseDuration;

    private static Transition Apply(ExecutionState state, Transition? pending, Transition next)
    {
        state.Update(v => v.Apply(next));
        return pending is null ? next : pending.Then(next);
    }

    private async Task<(bool Run, string? Error)> EvaluateAsync(ExecutionState state, Func<StepContext, bool> condition)
    {
        try
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            return (condition(invoker.CreateContext(state, scope.ServiceProvider, static (_, _) => ValueTask.CompletedTask)), null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return (false, ex.Message);
        }
    }

    private string? Scrub(JsonObject? output)
        => output is null ? null : SecretScrubber.ToJson(output.DeepClone(), _options.SecretPropertyNames);

    [LoggerMessage(Level = LogLevel.Information, Message = "Execution {ExecutionId}: the host is stopping; handed back before step {StepIndex} for another worker to go on.")]
    private static partial void LogHandedBack(ILogger logger, string executionId, int stepIndex);

    [LoggerMessage(Level = LogLevel.Error, Message = "The runner of execution {ExecutionId} failed.")]
    private static partial void LogRunnerFailed(ILogger logger, Exception exception, string executionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Execution {ExecutionId} step {StepId} attempt {Attempt}: {Outcome}.")]
    private static partial void LogStepCompleted(ILogger logger, string executionId, string stepId, int attempt, StepOutcome outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution {ExecutionId} step {StepId} attempt {Attempt} failed; retrying in {Delay}.")]
    private static partial void LogStepRetrying(ILogger logger, Exception exception, string executionId, string stepId, int attempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Execution {ExecutionId} step {StepId} failed at attempt {Attempt}.")]
    private static partial void LogStepFailed(ILogger logger, Exception exception, string executionId, string stepId, int attempt);
}
