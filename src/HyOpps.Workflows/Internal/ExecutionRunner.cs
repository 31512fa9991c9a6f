using System.Diagnostics;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using HyOpps.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyOpps.Workflows.Internal;

/// <summary>Runs the steps of one claimed execution, committing every transition before the next begins.</summary>
internal sealed partial class ExecutionRunner(
    [FromKeyedServices(StoreDecoration.RuntimeStoreKey)] IWorkflowStore store,
    WorkflowRegistry registry,
    IServiceScopeFactory scopeFactory,
    ExecutionSignals signals,
    IOptions<HyOppsOptions> options,
    TimeProvider time,
    ILogger<ExecutionRunner> logger)
{
    private readonly HyOppsOptions _options = options.Value;

    public async Task RunAsync(ClaimedExecution claim, CancellationToken stopping)
    {
        var execution = claim.Execution;
        var state = new ExecutionState(execution, claim.Steps.OrderBy(s => s.Index).ToArray(), execution.FencingToken);
        var running = signals.Register(execution.Id, stopping);
        try
        {
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
        var now = time.GetUtcNow();
        var pending = new PendingCommit();
        foreach (var attempt in leftRunning)
        {
            pending.Attempts.Add(attempt with
            {
                Outcome = AttemptOutcome.Abandoned,
                EndedAt = now,
                Error = "The worker stopped before this attempt ended.",
                ErrorType = StepErrorTypes.Transient,
            });
        }

        var definition = registry.Find(state.Execution.WorkflowName, state.Execution.WorkflowVersion);
        if (definition is null)
        {
            await FailExecutionAsync(state, pending, null, StepErrorTypes.NotConfigured,
                $"Workflow '{state.Execution.WorkflowName}' version {state.Execution.WorkflowVersion} is not registered on this host.", stopping).ConfigureAwait(false);
            return;
        }

        while (true)
        {
            now = time.GetUtcNow();
            var index = state.Execution.CurrentStepIndex;
            if (index >= definition.Steps.Count || index >= state.Steps.Length)
            {
                state.Execution = Released(state.Execution) with { Status = ExecutionStatus.Succeeded, CompletedAt = now, UpdatedAt = now, WaitingReason = null };
                await CommitAsync(state, pending, stopping).ConfigureAwait(false);
                return;
            }

            var stepDefinition = definition.Steps[index];
            var step = state.Steps[index];

            if (stepDefinition.Condition is { } condition && step.Status == StepStatus.Pending)
            {
                bool run;
                try
                {
                    await using var scope = scopeFactory.CreateAsyncScope();
                    run = condition(CreateContext(state, index, scope.ServiceProvider));
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    await FailExecutionAsync(state, pending, index, StepErrorTypes.Permanent, $"Step '{step.StepId}' condition failed: {ex.Message}", stopping).ConfigureAwait(false);
                    return;
                }

                if (!run)
                {
                    var output = new JsonObject { ["skipped"] = true, ["reason"] = stepDefinition.SkipReason }.ToJsonString();
                    state.Steps[index] = step with { Status = StepStatus.Skipped, Output = output, CompletedAt = now, Error = null, ErrorType = null };
                    pending.Steps[index] = state.Steps[index];
                    if (!await AdvanceAsync(state, pending, definition, stopping).ConfigureAwait(false))
                    {
                        return;
                    }

                    continue;
                }
            }

            if (stepDefinition.Kind == StepKind.Manual)
            {
                state.Steps[index] = step with { Status = StepStatus.WaitingForApproval, StartedAt = now };
                pending.Steps[index] = state.Steps[index];
                state.Execution = Released(state.Execution) with
                {
                    Status = ExecutionStatus.WaitingForApproval,
                    UpdatedAt = now,
                    WaitingReason = stepDefinition.Prompt,
                };
                await CommitAsync(state, pending, stopping).ConfigureAwait(false);
                return;
            }

            var policy = stepDefinition.RetryPolicy ?? _options.DefaultRetryPolicy;
            var attemptNumber = step.Attempts + 1;
            if (attemptNumber > policy.MaxAttempts)
            {
                await FailExecutionAsync(state, pending, index, StepErrorTypes.Transient,
                    $"Step '{step.StepId}' did not finish in {step.Attempts} attempts: the worker stopped during each of them.", stopping).ConfigureAwait(false);
                return;
            }

            step = step with
            {
                Status = StepStatus.Running,
                Attempts = attemptNumber,
                StartedAt = now,
                FirstAttemptAt = step.FirstAttemptAt ?? now,
            };
            state.Steps[index] = step;
            pending.Steps[index] = step;
            var attempt = new AttemptRecord
            {
                ExecutionId = step.ExecutionId,
                StepIndex = index,
                StepId = step.StepId,
                Run = step.Run,
                Number = attemptNumber,
                WorkerId = _options.WorkerId,
                StartedAt = now,
                Outcome = AttemptOutcome.Running,
            };
            pending.Attempts.Add(attempt);
            state.Execution = state.Execution with
            {
                Status = ExecutionStatus.Running,
                UpdatedAt = now,
                NextRunAt = null,
                WaitingReason = null,
                LeaseOwner = _options.WorkerId,
                LeaseExpiresAt = now + _options.LeaseDuration,
            };
            if (!await CommitAsync(state, pending, stopping).ConfigureAwait(false))
            {
                return;
            }

            var outcome = await RunAttemptAsync(state, index, stepDefinition, running, stopping).ConfigureAwait(false);
            now = time.GetUtcNow();
            step = state.Steps[index];
            HyOppsTelemetry.StepDuration.Record((now - attempt.StartedAt).TotalMilliseconds, new KeyValuePair<string, object?>("step", step.StepId));

            switch (outcome.Kind)
            {
                case AttemptKind.Completed:
                    var result = outcome.Result!;
                    var outputJson = ScrubOutput(result.Output);
                    var waiting = result.Outcome == StepOutcome.WaitingForApproval;
                    var (stepStatus, attemptOutcome) = result.Outcome switch
                    {
                        StepOutcome.Skipped => (StepStatus.Skipped, AttemptOutcome.Skipped),
                        StepOutcome.WaitingForApproval => (StepStatus.WaitingForApproval, AttemptOutcome.WaitingForApproval),
                        _ => (StepStatus.Succeeded, AttemptOutcome.Succeeded),
                    };
                    Count(attemptOutcome);
                    state.Steps[index] = step with
                    {
                        Status = stepStatus,
                        Output = outputJson,
                        CompletedAt = waiting ? null : now,
                        Error = null,
                        ErrorType = null,
                    };
                    pending.Steps[index] = state.Steps[index];
                    pending.Attempts.Add(attempt with { Outcome = attemptOutcome, EndedAt = now, Output = outputJson });
                    LogStepCompleted(logger, step.ExecutionId, step.StepId, attemptNumber, stepStatus);
                    if (waiting)
                    {
                        state.Execution = Released(state.Execution) with
                        {
                            Status = ExecutionStatus.WaitingForApproval,
                            UpdatedAt = now,
                            WaitingReason = result.Reason,
                        };
                        await CommitAsync(state, pending, stopping).ConfigureAwait(false);
                        return;
                    }

                    if (!await AdvanceAsync(state, pending, definition, stopping).ConfigureAwait(false))
                    {
                        return;
                    }

                    break;

                case AttemptKind.Failed:
                    var error = outcome.Error!;
                    Count(AttemptOutcome.Failed);
                    pending.Attempts.Add(attempt with { Outcome = AttemptOutcome.Failed, EndedAt = now, Error = error.Message, ErrorType = error.ErrorType });
                    var delay = policy.GetDelay(attemptNumber, error.RetryAfter, Random.Shared);
                    var withinBudget = now + delay - (step.FirstAttemptAt ?? now) <= policy.MaxTotalDuration;
                    if (error.IsRetryable && attemptNumber < policy.MaxAttempts && withinBudget)
                    {
                        LogStepRetrying(logger, error, step.ExecutionId, step.StepId, attemptNumber, delay);
                        state.Steps[index] = step with { Status = StepStatus.Pending, Error = error.Message, ErrorType = error.ErrorType };
                        pending.Steps[index] = state.Steps[index];
                        state.Execution = Released(state.Execution) with
                        {
                            Status = ExecutionStatus.Pending,
                            UpdatedAt = now,
                            NextRunAt = now + delay,
                            WaitingReason = $"Attempt {attemptNumber} of step '{step.StepId}' failed: {error.Message}",
                        };
                        await CommitAsync(state, pending, stopping).ConfigureAwait(false);
                        signals.NotifyWork();
                        return;
                    }

                    var why = !error.IsRetryable ? string.Empty
                        : attemptNumber >= policy.MaxAttempts ? $" (after {attemptNumber} attempts)"
                        : $" (retry budget of {policy.MaxTotalDuration} used up after {attemptNumber} attempts)";
                    LogStepFailed(logger, error, step.ExecutionId, step.StepId, attemptNumber);
                    await FailExecutionAsync(state, pending, index, error.ErrorType, $"Step '{step.StepId}' failed{why}: {error.Message}", stopping).ConfigureAwait(false);
                    return;

                case AttemptKind.Shutdown:
                    pending.Attempts.Add(attempt with { Outcome = AttemptOutcome.Abandoned, EndedAt = now, Error = "The host stopped during this attempt." });
                    state.Steps[index] = step with { Status = StepStatus.Pending };
                    pending.Steps[index] = state.Steps[index];
                    state.Execution = Released(state.Execution) with { Status = ExecutionStatus.Pending, UpdatedAt = now };
                    await CommitAsync(state, pending, CancellationToken.None).ConfigureAwait(false);
                    return;

                default:
                    // Cancelled by an operator (who committed the cancel) or the lease was lost: nothing of ours may be written.
                    return;
            }
        }
    }

    private async Task<bool> AdvanceAsync(ExecutionState state, PendingCommit pending, WorkflowDefinition definition, CancellationToken stopping)
    {
        var now = time.GetUtcNow();
        var next = state.Execution.CurrentStepIndex + 1;
        if (next >= definition.Steps.Count)
        {
            state.Execution = Released(state.Execution) with
            {
                Status = ExecutionStatus.Succeeded,
                CurrentStepIndex = next,
                CompletedAt = now,
                UpdatedAt = now,
                WaitingReason = null,
                Error = null,
                ErrorType = null,
            };
            if (await CommitAsync(state, pending, stopping).ConfigureAwait(false))
            {
                HyOppsTelemetry.ExecutionsCompleted.Add(1, new KeyValuePair<string, object?>("status", "succeeded"));
                LogExecutionCompleted(logger, state.Execution.Id, state.Execution.WorkflowName, ExecutionStatus.Succeeded);
            }

            return false;
        }

        // The transition is committed together with the next step's start, so a step costs one commit.
        state.Execution = state.Execution with { CurrentStepIndex = next, UpdatedAt = now };
        return true;
    }

    private async Task FailExecutionAsync(ExecutionState state, PendingCommit pending, int? index, string errorType, string message, CancellationToken stopping)
    {
        var now = time.GetUtcNow();
        if (index is { } i)
        {
            state.Steps[i] = state.Steps[i] with { Status = StepStatus.Failed, Error = message, ErrorType = errorType };
            pending.Steps[i] = state.Steps[i];
        }

        state.Execution = Released(state.Execution) with
        {
            Status = ExecutionStatus.Failed,
            UpdatedAt = now,
            CompletedAt = now,
            Error = message,
            ErrorType = errorType,
            WaitingReason = null,
        };
        if (await CommitAsync(state, pending, stopping).ConfigureAwait(false))
        {
            HyOppsTelemetry.ExecutionsCompleted.Add(1, new KeyValuePair<string, object?>("status", "failed"));
            LogExecutionCompleted(logger, state.Execution.Id, state.Execution.WorkflowName, ExecutionStatus.Failed);
        }
    }

    private async Task<bool> CommitAsync(ExecutionState state, PendingCommit pending, CancellationToken cancellationToken)
    {
        var commit = new ExecutionCommit
        {
            Execution = state.Execution,
            ExpectedFencingToken = state.FencingToken,
            Steps = pending.Steps.Values.ToArray(),
            Attempts = pending.Attempts.ToArray(),
        };
        pending.Clear();
        bool committed;
        try
        {
            committed = await store.CommitAsync(commit, CancellationToken.None).AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        if (!committed)
        {
            LogLeaseLost(logger, state.Execution.Id);
            signals.NotifyChanged(state.Execution.Id);
        }
        else if (state.Execution.Status is not (ExecutionStatus.Pending or ExecutionStatus.Running))
        {
            // Only a settled state wakes completion waiters: a step's progress does not, so that waiting for an
            // execution costs two reads rather than one per step.
            signals.NotifyChanged(state.Execution.Id);
        }

        return committed;
    }

    private async Task<AttemptResult> RunAttemptAsync(ExecutionState state, int index, StepDefinition definition, RunningExecution running, CancellationToken stopping)
    {
        var step = state.Steps[index];
        using var stepCts = CancellationTokenSource.CreateLinkedTokenSource(running.Token);
        using var timeoutCts = definition.Timeout is { } timeout ? new CancellationTokenSource(timeout, time) : null;
        using var timeoutRegistration = timeoutCts?.Token.Register(static s => ((CancellationTokenSource)s!).Cancel(), stepCts);
        using var heartbeatCts = new CancellationTokenSource();
        var leaseLost = false;
        var heartbeat = HeartbeatAsync(state, () =>
        {
            leaseLost = true;
            stepCts.Cancel();
        }, heartbeatCts.Token);

        await using var scope = scopeFactory.CreateAsyncScope();
        using var activity = HyOppsTelemetry.ActivitySource.StartActivity("hyopps.step", ActivityKind.Internal);
        activity?.SetTag("hyopps.execution_id", step.ExecutionId);
        activity?.SetTag("hyopps.workflow", state.Execution.WorkflowName);
        activity?.SetTag("hyopps.step_id", step.StepId);
        activity?.SetTag("hyopps.attempt", step.Attempts);
        using var logScope = logger.BeginScope(new Dictionary<string, object>
        {
            ["ExecutionId"] = step.ExecutionId,
            ["WorkflowName"] = state.Execution.WorkflowName,
            ["StepId"] = step.StepId,
            ["Attempt"] = step.Attempts,
        });
        try
        {
            var context = CreateContext(state, index, scope.ServiceProvider);
            var result = definition.Kind == StepKind.Delegate
                ? await definition.Delegate!(context, stepCts.Token).ConfigureAwait(false)
                : await ((IWorkflowStep)ActivatorUtilities.GetServiceOrCreateInstance(scope.ServiceProvider, definition.StepType!))
                    .ExecuteAsync(context, stepCts.Token).ConfigureAwait(false);
            ArgumentNullException.ThrowIfNull(result);
            return AttemptResult.Completed(result);
        }
        catch (Exception ex) when (stepCts.IsCancellationRequested && ex is OperationCanceledException or StepException { IsRetryable: true })
        {
            activity?.SetStatus(ActivityStatusCode.Error, "cancelled");
            if (running.CancelledByOperator)
            {
                return AttemptResult.Stopped;
            }

            if (leaseLost)
            {
                return AttemptResult.Stopped;
            }

            if (stopping.IsCancellationRequested)
            {
                return AttemptResult.Shutdown;
            }

            return AttemptResult.Failed(StepException.Transient(
                $"The step did not finish within its timeout of {definition.Timeout}.", StepErrorTypes.Timeout, innerException: ex));
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            var error = Classify(ex);
            error.WorkflowName = state.Execution.WorkflowName;
            error.ExecutionId = step.ExecutionId;
            error.StepId = step.StepId;
            return AttemptResult.Failed(error);
        }
        finally
        {
            await heartbeatCts.CancelAsync().ConfigureAwait(false);
            await heartbeat.ConfigureAwait(false);
        }
    }

    private async Task HeartbeatAsync(ExecutionState state, Action onLost, CancellationToken cancellationToken)
    {
        var interval = _options.LeaseDuration / 3;
        try
        {
            while (true)
            {
                // Most steps end long before the first renewal: ending the wait without an exception keeps that cheap.
                await Task.Delay(interval, time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                var expires = time.GetUtcNow() + _options.LeaseDuration;
                if (!await store.RenewLeaseAsync(state.Execution.Id, state.FencingToken, expires, cancellationToken).ConfigureAwait(false))
                {
                    LogLeaseLost(logger, state.Execution.Id);
                    onLost();
                    return;
                }

                state.Execution = state.Execution with { LeaseExpiresAt = expires };
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogHeartbeatFailed(logger, ex, state.Execution.Id);
        }
    }

    private RuntimeStepContext CreateContext(ExecutionState state, int index, IServiceProvider services)
        => new(state, index, services, logger, time, _options.SecretPropertyNames, (json, ct) => SaveCheckpointAsync(state, index, json, ct));

    private async ValueTask SaveCheckpointAsync(ExecutionState state, int index, string json, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        state.Steps[index] = state.Steps[index] with { Checkpoint = json };
        state.Execution = state.Execution with { UpdatedAt = now };
        var committed = await store.CommitAsync(
            new ExecutionCommit { Execution = state.Execution, ExpectedFencingToken = state.FencingToken, Steps = [state.Steps[index]] },
            cancellationToken).ConfigureAwait(false);
        if (!committed)
        {
            throw new OperationCanceledException("The execution's lease was lost; the checkpoint was not saved.");
        }
    }

    private string? ScrubOutput(JsonObject? output)
    {
        if (output is null)
        {
            return null;
        }

        var copy = output.DeepClone();
        SecretScrubber.Scrub(copy, _options.SecretPropertyNames);
        return copy.ToJsonString();
    }

    private static StepException Classify(Exception ex) => ex switch
    {
        StepException step => step,
        HttpRequestException or IOException or SocketException or TimeoutException or OperationCanceledException
            => StepException.Transient($"{ex.GetType().Name}: {ex.Message}", StepErrorTypes.Transient, innerException: ex),
        JsonException => StepException.Permanent($"Invalid JSON: {ex.Message}", StepErrorTypes.InvalidInput, ex),
        _ => StepException.Permanent($"{ex.GetType().Name}: {ex.Message}", StepErrorTypes.Unhandled, ex),
    };

    private static ExecutionRecord Released(ExecutionRecord execution) => execution with { LeaseOwner = null, LeaseExpiresAt = null };

    private static void Count(AttemptOutcome outcome)
        => HyOppsTelemetry.StepAttempts.Add(1, new KeyValuePair<string, object?>("outcome", outcome.ToString()));

    [LoggerMessage(Level = LogLevel.Error, Message = "The runner of execution {ExecutionId} failed.")]
    private static partial void LogRunnerFailed(ILogger logger, Exception exception, string executionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Execution {ExecutionId} step {StepId} attempt {Attempt}: {Status}.")]
    private static partial void LogStepCompleted(ILogger logger, string executionId, string stepId, int attempt, StepStatus status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution {ExecutionId} step {StepId} attempt {Attempt} failed; retrying in {Delay}.")]
    private static partial void LogStepRetrying(ILogger logger, Exception exception, string executionId, string stepId, int attempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Execution {ExecutionId} step {StepId} failed at attempt {Attempt}.")]
    private static partial void LogStepFailed(ILogger logger, Exception exception, string executionId, string stepId, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Execution {ExecutionId} of {WorkflowName}: {Status}.")]
    private static partial void LogExecutionCompleted(ILogger logger, string executionId, string workflowName, ExecutionStatus status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution {ExecutionId}: the lease was lost or revoked; this worker stops running it.")]
    private static partial void LogLeaseLost(ILogger logger, string executionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution {ExecutionId}: renewing the lease failed.")]
    private static partial void LogHeartbeatFailed(ILogger logger, Exception exception, string executionId);

    private enum AttemptKind
    {
        Completed,
        Failed,
        Shutdown,
        Stopped,
    }

    private sealed record AttemptResult(AttemptKind Kind, StepResult? Result = null, StepException? Error = null)
    {
        public static readonly AttemptResult Shutdown = new(AttemptKind.Shutdown);

        public static readonly AttemptResult Stopped = new(AttemptKind.Stopped);

        public static AttemptResult Completed(StepResult result) => new(AttemptKind.Completed, result);

        public static AttemptResult Failed(StepException error) => new(AttemptKind.Failed, Error: error);
    }

    private sealed class PendingCommit
    {
        public SortedDictionary<int, StepRecord> Steps { get; } = [];

        public List<AttemptRecord> Attempts { get; } = [];

        public void Clear()
        {
            Steps.Clear();
            Attempts.Clear();
        }
    }
}
