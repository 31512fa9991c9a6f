using System.Text.Json;
using System.Text.Json.Nodes;
using HyOpps.Workflows.Internal.Machine;
using HyOpps.Workflows.Internal.Notifications;
using HyOpps.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyOpps.Workflows.Internal;

/// <summary>The operator API: starts and waits through their own services, and every operator action through the state machine.</summary>
internal sealed partial class WorkflowClient(
    [FromKeyedServices(StoreDecoration.RuntimeStoreKey)] IWorkflowStore store,
    WorkflowRegistry registry,
    ExecutionStarter starter,
    ExecutionWaiter waiter,
    ExecutionSignals signals,
    NotificationSwitch notifications,
    IOptions<HyOppsOptions> options,
    TimeProvider time,
    ILogger<WorkflowClient> logger) : IWorkflowClient
{
    private const int MaxConcurrentChangeRetries = 20;
    private readonly HyOppsOptions _options = options.Value;

    public IReadOnlyList<WorkflowDefinition> Workflows => registry.All;

    public Task<ExecutionStarted> StartAsync<TInput>(string workflowName, TInput input, StartExecutionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var node = input switch
        {
            JsonNode n => n.DeepClone(),
            JsonElement e => JsonNode.Parse(e.GetRawText()),
            _ => JsonSerializer.SerializeToNode(input, input.GetType(), HyOppsJson.SerializerOptions),
        };
        return starter.StartAsync(workflowName, node, nameof(input), options, cancellationToken);
    }

    public Task<ExecutionStarted> StartJsonAsync(string workflowName, string inputJson, StartExecutionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputJson);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(inputJson);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"The input is not valid JSON: {ex.Message}", nameof(inputJson), ex);
        }

        return starter.StartAsync(workflowName, node, nameof(inputJson), options, cancellationToken);
    }

    public Task<ExecutionDetail?> GetAsync(string executionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(executionId);
        return waiter.GetAsync(executionId, cancellationToken);
    }

    public async Task<ExecutionList> ListAsync(ExecutionQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit is < 1 or > 500)
        {
            throw new ArgumentException($"ExecutionQuery.Limit must be between 1 and 500 (was {query.Limit}).", nameof(query));
        }

        if (query.Offset < 0)
        {
            throw new ArgumentException($"ExecutionQuery.Offset must not be negative (was {query.Offset}).", nameof(query));
        }

        var page = await store.ListExecutionsAsync(query, cancellationToken).ConfigureAwait(false);
        return new ExecutionList(page.Items.Select(e => ExecutionMapper.ToSummary(e, registry.Find(e.WorkflowName, e.WorkflowVersion))).ToArray(), page.Total);
    }

    public Task<ExecutionDetail> WaitForCompletionAsync(string executionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(executionId);
        return waiter.WaitForCompletionAsync(executionId, cancellationToken);
    }

    public Task<ExecutionDetail> RetryAsync(string executionId, OperatorAction action, CancellationToken cancellationToken = default)
        => ChangeAsync(executionId, action, "retry", null, (snapshot, now) => ExecutionMachine.Retry(View(snapshot), now), cancellationToken);

    public Task<ExecutionDetail> RerunFromAsync(string executionId, string stepId, OperatorAction action, JsonElement? inputOverride = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(stepId);
        string? overrideJson = null;
        if (inputOverride is { } value)
        {
            if (value.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException("The input override must be a JSON object.", nameof(inputOverride));
            }

            var node = JsonNode.Parse(value.GetRawText());
            SecretScrubber.Scrub(node, _options.SecretPropertyNames);
            overrideJson = node!.ToJsonString();
        }

        return ChangeAsync(executionId, action, "rerun_from", stepId, (snapshot, now) => ExecutionMachine.RerunFrom(View(snapshot), stepId, overrideJson, now), cancellationToken);
    }

    public async Task<ExecutionDetail> CancelAsync(string executionId, OperatorAction action, CancellationToken cancellationToken = default)
    {
        var detail = await ChangeAsync(executionId, action, "cancel", null, (snapshot, now) => ExecutionMachine.Cancel(View(snapshot), snapshot.Attempts, now), cancellationToken).ConfigureAwait(false);
        signals.RequestCancel(executionId);
        return detail;
    }

    public Task<ExecutionDetail> StartNowAsync(string executionId, OperatorAction action, CancellationToken cancellationToken = default)
        => ChangeAsync(executionId, action, "start_now", null, (snapshot, now) => ExecutionMachine.StartNow(View(snapshot), now), cancellationToken);

    public Task<ExecutionDetail> ApproveAsync(string executionId, OperatorAction action, CancellationToken cancellationToken = default)
        => ChangeAsync(executionId, action, "approve", null, (snapshot, now) => ExecutionMachine.Approve(View(snapshot), action.Actor, action.Reason, now), cancellationToken);

    public Task<ExecutionDetail> RejectAsync(string executionId, OperatorAction action, CancellationToken cancellationToken = default)
        => ChangeAsync(executionId, action, "reject", null, (snapshot, now) => ExecutionMachine.Reject(View(snapshot), action.Actor, action.Reason, now), cancellationToken);

    private static ExecutionView View(ExecutionSnapshot snapshot) => ExecutionView.Of(snapshot.Execution, snapshot.Steps);

    private async Task<ExecutionDetail> ChangeAsync(
        string executionId,
        OperatorAction action,
        string name,
        string? detail,
        Func<ExecutionSnapshot, DateTimeOffset, Transition> decide,
        CancellationToken cancellationToken)
    {
        await CommitChangeAsync(executionId, action, name, detail, decide, cancellationToken).ConfigureAwait(false);
        return await GetAsync(executionId, cancellationToken).ConfigureAwait(false) ?? throw new ExecutionNotFoundException(executionId);
    }

    /// <summary>Reads the execution, lets the state machine decide, and commits under the row version with one audit entry; retried while others change it.</summary>
    private async Task CommitChangeAsync(
        string executionId,
        OperatorAction action,
        string name,
        string? detail,
        Func<ExecutionSnapshot, DateTimeOffset, Transition> decide,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(executionId);
        ArgumentNullException.ThrowIfNull(action);
        ArgumentException.ThrowIfNullOrWhiteSpace(action.Actor, nameof(action));
        for (var i = 0; i < MaxConcurrentChangeRetries; i++)
        {
            var snapshot = await store.GetExecutionAsync(executionId, cancellationToken).ConfigureAwait(false)
                ?? throw new ExecutionNotFoundException(executionId);
            var now = time.GetUtcNow();
            var transition = decide(snapshot, now);
            var audit = new AuditRecord { ExecutionId = executionId, At = now, Actor = action.Actor, Action = name, Reason = action.Reason, Detail = detail };
            if (await store.CommitAsync(transition.ToCommit(expectedVersion: snapshot.Execution.Version, audit: [audit], notify: notifications.Enabled), cancellationToken).ConfigureAwait(false))
            {
                RuntimeTelemetry.Committed(transition);
                LogOperatorAction(logger, executionId, name, action.Actor);
                signals.NotifyChanged(executionId);
                signals.NotifyWork();
                return;
            }
        }

        throw new ExecutionStateException($"Execution '{executionId}' kept changing while the {name} was applied; try again.");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Execution {ExecutionId}: {Action} by {Actor}.")]
    private static partial void LogOperatorAction(ILogger logger, string executionId, string action, string actor);
}
