using System.Diagnostics;
using System.Net.Http;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyOpps.Workflows.Internal;

/// <summary>Runs one attempt of a step: its scope, context, span, timeout and lease heartbeat, and what its outcome was.</summary>
internal sealed class StepInvoker(
    IServiceScopeFactory scopeFactory,
    LeaseHeartbeat heartbeat,
    IOptions<HyOppsOptions> options,
    TimeProvider time,
    ILogger<StepInvoker> logger)
{
    private readonly HyOppsOptions _options = options.Value;

    /// <summary>Runs one attempt; <paramref name="start"/> commits the attempt's start with its mapped input (false: it must not run).</summary>
    public async Task<AttemptResult> InvokeAsync(
        ExecutionState state,
        StepDefinition definition,
        RunningExecution running,
        Func<string?, ValueTask<bool>> start,
        Func<string, CancellationToken, ValueTask> saveCheckpoint,
        CancellationToken stopping)
    {
        var execution = state.Execution;
        var step = state.View.Current;
        using var stepCts = CancellationTokenSource.CreateLinkedTokenSource(running.Token);
        using var timeoutCts = definition.Timeout is { } timeout ? new CancellationTokenSource(timeout, time) : null;
        using var timeoutRegistration = timeoutCts?.Token.Register(static s => ((CancellationTokenSource)s!).Cancel(), stepCts);
        using var heartbeatCts = new CancellationTokenSource();
        var leaseLost = false;
        var renewing = heartbeat.RunAsync(state, () =>
        {
            leaseLost = true;
            stepCts.Cancel();
        }, heartbeatCts.Token);

        // The attempt's start is committed once its input is mapped, below; this is the number it gets.
        var number = NextAttempt(state);
        await using var scope = scopeFactory.CreateAsyncScope();
        using var activity = StartActivity(execution.TraceParent, execution.Id, execution.WorkflowName, step.StepId, number);
        using var logScope = logger.BeginScope(new Dictionary<string, object>
        {
            ["ExecutionId"] = step.ExecutionId,
            ["WorkflowName"] = execution.WorkflowName,
            ["StepId"] = step.StepId,
            ["Attempt"] = number,
        });
        AttemptResult result;
        string? inputJson = null;
        var committingStart = false;
        try
        {
            var context = CreateContext(state, scope.ServiceProvider, saveCheckpoint);
            var binding = definition.Kind == StepKind.Delegate ? null : definition.Input;
            object? input = null;
            ExceptionDispatchInfo? unresolved = null;
            if (binding is not null)
            {
                // Mapped at each attempt, so that a retry sees data fixed since the last one.
                try
                {
                    input = await binding.ResolveAsync(context, step.InputOverride is not null, stepCts.Token).ConfigureAwait(false);
                    inputJson = SecretScrubber.ToJson(binding.SerializeToNode(input), _options.SecretPropertyNames);
                }
                catch (Exception ex) when (!running.CancelledByOperator && !leaseLost && !stopping.IsCancellationRequested)
                {
                    // A mapping that failed (or ran out of time) is an attempt that failed, recorded as one.
                    unresolved = ExceptionDispatchInfo.Capture(ex);
                }
            }

            // The input is committed with the attempt's start, so an attempt a crash cuts short still shows what it was given.
            // A store error while committing the start is the runtime's, not the step's: it must reach the worker as it is,
            // never be recorded as a failed attempt that the store does not know started.
            committingStart = true;
            if (!await start(inputJson).ConfigureAwait(false))
            {
                return AttemptResult.NotStarted;
            }

            committingStart = false;

            unresolved?.Throw();
            StepResult stepResult;
            if (definition.Kind == StepKind.Delegate)
            {
                stepResult = await definition.Delegate!(context, stepCts.Token).ConfigureAwait(false);
            }
            else if (binding is not null)
            {
                stepResult = await binding.ShouldRunAsync(input!, context, stepCts.Token).ConfigureAwait(false)
                    ? await binding.InvokeAsync(CreateStep(scope.ServiceProvider, definition), input!, context, stepCts.Token).ConfigureAwait(false)
                    : StepResult.Skipped(binding.SkipReason!);
            }
            else
            {
                stepResult = await CreateStep(scope.ServiceProvider, definition).ExecuteAsync(context, stepCts.Token).ConfigureAwait(false);
            }

            ArgumentNullException.ThrowIfNull(stepResult);
            result = AttemptResult.Completed(stepResult);
        }
        catch (Exception ex) when (!committingStart && stepCts.IsCancellationRequested && ex is OperationCanceledException or StepException { IsRetryable: true })
        {
            result = running.CancelledByOperator || leaseLost ? AttemptResult.Stopped
                : stopping.IsCancellationRequested ? AttemptResult.Shutdown
                : AttemptResult.Failed(StepException.Transient($"The step did not finish within its timeout of {definition.Timeout}.", StepErrorTypes.Timeout, innerException: ex));
        }
        catch (Exception ex) when (!committingStart)
        {
            var error = Classify(ex);
            error.WorkflowName = execution.WorkflowName;
            error.ExecutionId = step.ExecutionId;
            error.StepId = step.StepId;
            result = AttemptResult.Failed(error);
        }
        finally
        {
            await heartbeatCts.CancelAsync().ConfigureAwait(false);
            await renewing.ConfigureAwait(false);
        }

        Tag(activity, result);
        return result;
    }

    /// <summary>Makes the context of the current step's next attempt, whose start is not committed yet.</summary>
    public RuntimeStepContext CreateContext(ExecutionState state, IServiceProvider services, Func<string, CancellationToken, ValueTask> saveCheckpoint)
        => new(state, state.View.Index, NextAttempt(state), services, logger, time, _options.SecretPropertyNames, saveCheckpoint);

    private static int NextAttempt(ExecutionState state) => state.View.Current.Attempts + 1;

    private static IWorkflowStep CreateStep(IServiceProvider services, StepDefinition definition)
        => (IWorkflowStep)ActivatorUtilities.GetServiceOrCreateInstance(services, definition.StepType!);

    /// <summary>Starts a <c>hyopps.step</c> span as a child of the execution's span, wherever and whenever that was started.</summary>
    private static Activity? StartActivity(string? traceParent, string executionId, string workflow, string stepId, int attempt)
    {
        ActivityContext.TryParse(traceParent, null, out var parent);
        var activity = RuntimeTelemetry.ActivitySource.StartActivity("hyopps.step", ActivityKind.Internal, parent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("hyopps.execution_id", executionId);
            activity.SetTag("hyopps.workflow", workflow);
            activity.SetTag("hyopps.step_id", stepId);
            activity.SetTag("hyopps.attempt", attempt);
        }

        return activity;
    }

    private static void Tag(Activity? activity, AttemptResult result)
    {
        if (activity is null)
        {
            return;
        }

        var (outcome, errorType) = result.Kind switch
        {
            AttemptKind.Completed => (result.Result!.Outcome switch
            {
                StepOutcome.Skipped => "skipped",
                StepOutcome.WaitingForApproval => "waiting_for_approval",
                _ => "succeeded",
            }, null),
            AttemptKind.Failed => ("failed", result.Error!.ErrorType),
            AttemptKind.Shutdown => ("abandoned", null),
            _ => ("stopped", null),
        };
        activity.SetTag("hyopps.outcome", outcome);
        if (errorType is not null)
        {
            // The error type only: a message may quote an input or a response.
            activity.SetTag("error.type", errorType);
            activity.SetStatus(ActivityStatusCode.Error, errorType);
        }
    }

    private static StepException Classify(Exception ex) => ex switch
    {
        StepException step => step,
        HttpRequestException or IOException or SocketException or TimeoutException or OperationCanceledException
            => StepException.Transient($"{ex.GetType().Name}: {ex.Message}", StepErrorTypes.Transient, innerException: ex),
        JsonException => StepException.Permanent($"Invalid JSON: {ex.Message}", StepErrorTypes.InvalidInput, ex),
        _ => StepException.Permanent($"{ex.GetType().Name}: {ex.Message}", StepErrorTypes.Unhandled, ex),
    };
}

/// <summary>How an attempt ended, as the invoker saw it.</summary>
internal enum AttemptKind
{
    Completed,
    Failed,
    Shutdown,
    Stopped,

    /// <summary>The attempt's start was not committed (the lease was lost, or its policy was already spent): nothing ran.</summary>
    NotStarted,
}

/// <summary>The outcome of one attempt.</summary>
internal sealed record AttemptResult(AttemptKind Kind, StepResult? Result = null, StepException? Error = null)
{
    public static readonly AttemptResult Shutdown = new(AttemptKind.Shutdown);

    public static readonly AttemptResult Stopped = new(AttemptKind.Stopped);

    public static readonly AttemptResult NotStarted = new(AttemptKind.NotStarted);

    public static AttemptResult Completed(StepResult result) => new(AttemptKind.Completed, result);

    public static AttemptResult Failed(StepException error) => new(AttemptKind.Failed, Error: error);
}
