using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using HyOpps.Workflows.Internal.Machine;
using HyOpps.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyOpps.Workflows.Internal;

/// <summary>Creates executions: validates the input, opens the <c>hyopps.execution</c> span, and runs the execution here at once when a slot is free.</summary>
internal sealed partial class ExecutionStarter(
    [FromKeyedServices(StoreDecoration.RuntimeStoreKey)] IWorkflowStore store,
    WorkflowRegistry registry,
    ExecutionDispatcher dispatcher,
    ExecutionSignals signals,
    IOptions<HyOppsOptions> options,
    TimeProvider time,
    ILogger<ExecutionStarter> logger)
{
    private static readonly TimeSpan StartLease = TimeSpan.FromSeconds(5);

    private readonly HyOppsOptions _options = options.Value;

    public async Task<ExecutionStarted> StartAsync(string workflowName, JsonNode? node, string parameter, StartExecutionOptions? options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workflowName);
        options ??= new StartExecutionOptions();
        var definition = registry.Get(workflowName, options.Version);
        if (node is not JsonObject obj)
        {
            throw new ArgumentException("The input must be a JSON object.", parameter);
        }

        SecretScrubber.Scrub(obj, _options.SecretPropertyNames);
        var json = obj.ToJsonString();
        var size = Encoding.UTF8.GetByteCount(json);
        if (size > _options.MaxInputBytes)
        {
            throw new ArgumentException($"The input is {size} bytes, over the limit of {_options.MaxInputBytes} bytes (HyOpps:Runtime:MaxInputBytes).", parameter);
        }

        if (options.IdempotencyKey is { Length: > 400 })
        {
            throw new ArgumentException("The idempotency key is longer than 400 characters.", nameof(options));
        }

        var now = time.GetUtcNow();
        var id = Guid.CreateVersion7(now).ToString("N"); // Time-ordered ids keep the newest-first index and B-tree inserts cheap.

        // The execution's span is a child of the caller's; every step span, on any host and after any restart, is its child.
        using var activity = RuntimeTelemetry.ActivitySource.StartActivity("hyopps.execution", ActivityKind.Internal);
        activity?.SetTag("hyopps.execution_id", id);
        activity?.SetTag("hyopps.workflow", definition.Name);
        activity?.SetTag("hyopps.workflow_version", definition.Version);
        var traceParent = (activity ?? Activity.Current) is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;
        var (execution, steps, audit) = ExecutionMachine.Start(id, definition, json, options, traceParent, now);

        // With a free slot here, the execution is created already leased to this worker and runs at once: no claim to
        // commit, no wake-up to wait for. The runner's first commit, moments later, takes the full lease; until then the
        // lease is short, so that should this process die first any worker claims the execution soon. A runner later than
        // that loses its first commit to the fencing token and stops: the step never runs twice.
        // A scheduled execution waits for its time in the store, like any other that is not due yet.
        var reserved = execution.NextRunAt is null && dispatcher.TryReserveSlot();
        if (reserved)
        {
            var lease = _options.LeaseDuration < StartLease ? _options.LeaseDuration : StartLease;
            execution = execution with { LeaseOwner = _options.WorkerId, LeaseExpiresAt = now + lease };
        }

        CreateExecutionResult result;
        try
        {
            result = await store.CreateExecutionAsync(execution, steps, [audit], cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            if (reserved)
            {
                dispatcher.ReleaseSlots(1);
            }

            throw;
        }

        if (!result.Created)
        {
            if (reserved)
            {
                dispatcher.ReleaseSlots(1);
            }

            // The span names the execution the caller gets back, and says it was not a new one.
            activity?.SetTag("hyopps.execution_id", result.Execution.Id);
            activity?.SetTag("hyopps.duplicate", true);
            return new ExecutionStarted(result.Execution.Id, Created: false);
        }

        RuntimeTelemetry.Started(definition.Name);
        LogStarted(logger, result.Execution.Id, definition.Name, definition.Version);
        if (reserved)
        {
            dispatcher.RunReserved(new ClaimedExecution(result.Execution, steps, []));
        }
        else
        {
            signals.NotifyWork();
        }

        return new ExecutionStarted(result.Execution.Id, Created: true);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Execution {ExecutionId} of {WorkflowName} v{Version} started.")]
    private static partial void LogStarted(ILogger logger, string executionId, string workflowName, int version);
}
