using System.Text.Json;

namespace HyOpps.Workflows;

/// <summary>Starts, reads and operates executions: the operator API.</summary>
public interface IWorkflowClient
{
    /// <summary>Gets every registered workflow definition, all versions.</summary>
    IReadOnlyList<WorkflowDefinition> Workflows { get; }

    /// <summary>Starts an execution, or returns the existing one when the idempotency key was used before.</summary>
    /// <typeparam name="TInput">The input type; serialized to a JSON object with snake_case names.</typeparam>
    /// <param name="workflowName">The workflow name.</param>
    /// <param name="input">The input; properties marked <see cref="SecretAttribute"/> or named like secrets are not stored.</param>
    /// <param name="options">The idempotency key, labels, version and actor.</param>
    /// <param name="cancellationToken">The token to cancel the work.</param>
    /// <returns>The execution id and whether it was created.</returns>
    /// <exception cref="WorkflowNotFoundException">No such workflow or version is registered.</exception>
    /// <exception cref="ArgumentException">The input is not a JSON object or is larger than the limit.</exception>
    Task<ExecutionStarted> StartAsync<TInput>(string workflowName, TInput input, StartExecutionOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Starts an execution from JSON text.</summary>
    /// <param name="workflowName">The workflow name.</param>
    /// <param name="inputJson">A JSON object.</param>
    /// <param name="options">The idempotency key, labels, version and actor.</param>
    /// <param name="cancellationToken">The token to cancel the work.</param>
    /// <returns>The execution id and whether it was created.</returns>
    /// <exception cref="WorkflowNotFoundException">No such workflow or version is registered.</exception>
    /// <exception cref="ArgumentException">The JSON is malformed, not an object, or larger than the limit.</exception>
    Task<ExecutionStarted> StartJsonAsync(string workflowName, string inputJson, StartExecutionOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Gets an execution with its steps, attempts and audit trail.</summary>
    /// <param name="executionId">The execution id.</param>
    /// <param name="cancellationToken">The token to cancel the work.</param>
    /// <returns>The execution, or <see langword="null"/>.</returns>
    Task<ExecutionDetail?> GetAsync(string executionId, CancellationToken cancellationToken = default);

    /// <summary>Lists executions, newest first.</summary>
    /// <param name="query">Filters and paging.</param>
    /// <param name="cancellationToken">The token to cancel the work.</param>
    /// <returns>A page.</returns>
    /// <exception cref="ArgumentException">The paging is out of range.</exception>
    Task<ExecutionList> ListAsync(ExecutionQuery query, CancellationToken cancellationToken = default);

    /// <summary>Reads the numbers of an overview page for the last 24 hours: counts by workflow and status, the steps failing most, starts per hour, the due backlog.</summary>
    /// <param name="labels">Labels every counted execution must carry (a scoped caller's scope), or <see langword="null"/> for every execution.</param>
    /// <param name="cancellationToken">The token to cancel the work.</param>
    /// <returns>The overview, measured at the runtime's current time.</returns>
    Task<ExecutionOverview> GetOverviewAsync(IReadOnlyDictionary<string, string>? labels = null, CancellationToken cancellationToken = default);

    /// <summary>Waits until the execution succeeds, fails, is cancelled or waits for a person.</summary>
    /// <param name="executionId">The execution id.</param>
    /// <param name="cancellationToken">The token that ends the wait.</param>
    /// <returns>The settled execution.</returns>
    /// <exception cref="ExecutionNotFoundException">No such execution.</exception>
    Task<ExecutionDetail> WaitForCompletionAsync(string executionId, CancellationToken cancellationToken = default);

    /// <summary>Retries the failed step of a failed execution.</summary>
    /// <param name="executionId">The execution id.</param>
    /// <param name="action">Who and why.</param>
    /// <param name="cancellationToken">The token to cancel the work.</param>
    /// <returns>The execution after the change.</returns>
    /// <exception cref="ExecutionNotFoundException">No such execution.</exception>
    /// <exception cref="ExecutionStateException">The execution is not failed.</exception>
    Task<ExecutionDetail> RetryAsync(string executionId, OperatorAction action, CancellationToken cancellationToken = default);

    /// <summary>Runs the execution again from a step: that step and later ones reset, their history kept.</summary>
    /// <param name="executionId">The execution id.</param>
    /// <param name="stepId">The step to run from.</param>
    /// <param name="action">Who and why.</param>
    /// <param name="inputOverride">An input for that step instead of the workflow input.</param>
    /// <param name="cancellationToken">The token to cancel the work.</param>
    /// <returns>The execution after the change.</returns>
    /// <exception cref="ExecutionNotFoundException">No such execution.</exception>
    /// <exception cref="ExecutionStateException">The execution is running or pending, or has no such step.</exception>
    Task<ExecutionDetail> RerunFromAsync(string executionId, string stepId, OperatorAction action, JsonElement? inputOverride = null, CancellationToken cancellationToken = default);

    /// <summary>Cancels an execution; a running step sees its cancellation token signalled.</summary>
    /// <param name="executionId">The execution id.</param>
    /// <param name="action">Who and why.</param>
    /// <param name="cancellationToken">The token to cancel the work.</param>
    /// <returns>The execution after the change.</returns>
    /// <exception cref="ExecutionNotFoundException">No such execution.</exception>
    /// <exception cref="ExecutionStateException">The execution is final already.</exception>
    Task<ExecutionDetail> CancelAsync(string executionId, OperatorAction action, CancellationToken cancellationToken = default);

    /// <summary>Retries the failed step of every failed execution the filter matches, or only counts them.</summary>
    /// <param name="filter">The executions to act on (workflow, statuses, current step, labels, time range); its paging is ignored. A scoped caller narrows it to its scope.</param>
    /// <param name="action">Who and why; each changed execution's audit trail records it as <c>bulk_retry</c> with the filter.</param>
    /// <param name="dryRun"><see langword="true"/> to change nothing and return the count and the first rows.</param>
    /// <param name="progress">Told the counts so far after each execution, for a progress page; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">The token to cancel the work; executions changed before it was signalled stay changed.</param>
    /// <returns>The count, a sample, and what was changed or skipped.</returns>
    /// <exception cref="ArgumentException">The filter matches more executions than one bulk action may change (10,000).</exception>
    /// <remarks>Each execution changes in its own short commit, through the same state machine as <see cref="RetryAsync"/>; one that cannot be retried is skipped with the reason.</remarks>
    Task<BulkActionResult> BulkRetryAsync(ExecutionQuery filter, OperatorAction action, bool dryRun, IProgress<BulkActionProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Cancels every execution the filter matches that is not final yet, or only counts them.</summary>
    /// <param name="filter">The executions to act on; its paging is ignored. A scoped caller narrows it to its scope.</param>
    /// <param name="action">Who and why; recorded as <c>bulk_cancel</c> with the filter.</param>
    /// <param name="dryRun"><see langword="true"/> to change nothing and return the count and the first rows.</param>
    /// <param name="progress">Told the counts so far after each execution, for a progress page; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">The token to cancel the work.</param>
    /// <returns>The count, a sample, and what was changed or skipped.</returns>
    /// <exception cref="ArgumentException">The filter matches more executions than one bulk action may change (10,000).</exception>
    Task<BulkActionResult> BulkCancelAsync(ExecutionQuery filter, OperatorAction action, bool dryRun, IProgress<BulkActionProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Runs every execution the filter matches again from a step, or only counts them.</summary>
    /// <param name="filter">The executions to act on; its paging is ignored. A scoped caller narrows it to its scope.</param>
    /// <param name="stepId">The step to run from.</param>
    /// <param name="action">Who and why; recorded as <c>bulk_rerun_from</c> with the step and the filter.</param>
    /// <param name="dryRun"><see langword="true"/> to change nothing and return the count and the first rows.</param>
    /// <param name="progress">Told the counts so far after each execution, for a progress page; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">The token to cancel the work.</param>
    /// <returns>The count, a sample, and what was changed or skipped.</returns>
    /// <exception cref="ArgumentException">The filter matches more executions than one bulk action may change (10,000).</exception>
    Task<BulkActionResult> BulkRerunFromAsync(ExecutionQuery filter, string stepId, OperatorAction action, bool dryRun, IProgress<BulkActionProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Starts a scheduled execution now instead of at its <see cref="StartExecutionOptions.NotBefore"/> time.</summary>
    /// <param name="executionId">The execution id.</param>
    /// <param name="action">Who and why.</param>
    /// <param name="cancellationToken">The token to cancel the work.</param>
    /// <returns>The execution after the change.</returns>
    /// <exception cref="ExecutionNotFoundException">No such execution.</exception>
    /// <exception cref="ExecutionStateException">The execution is not scheduled for later.</exception>
    Task<ExecutionDetail> StartNowAsync(string executionId, OperatorAction action, CancellationToken cancellationToken = default);

    /// <summary>Approves the step waiting for approval; the workflow goes on.</summary>
    /// <param name="executionId">The execution id.</param>
    /// <param name="action">Who and why.</param>
    /// <param name="cancellationToken">The token to cancel the work.</param>
    /// <returns>The execution after the change.</returns>
    /// <exception cref="ExecutionNotFoundException">No such execution.</exception>
    /// <exception cref="ExecutionStateException">No step is waiting for approval.</exception>
    Task<ExecutionDetail> ApproveAsync(string executionId, OperatorAction action, CancellationToken cancellationToken = default);

    /// <summary>Rejects the step waiting for approval; the execution fails at that step.</summary>
    /// <param name="executionId">The execution id.</param>
    /// <param name="action">Who and why.</param>
    /// <param name="cancellationToken">The token to cancel the work.</param>
    /// <returns>The execution after the change.</returns>
    /// <exception cref="ExecutionNotFoundException">No such execution.</exception>
    /// <exception cref="ExecutionStateException">No step is waiting for approval.</exception>
    Task<ExecutionDetail> RejectAsync(string executionId, OperatorAction action, CancellationToken cancellationToken = default);
}
