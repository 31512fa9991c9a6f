using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WorkflowCore.Interface;
using WorkflowCore.Models;
using WorkflowCore.Models.LifeCycleEvents;

namespace HyOpps.Benchmarks.Systems;

/// <summary>Workflow Core with its default in-memory persistence (no durability), running the same shape of no-op steps.</summary>
internal sealed class WorkflowCoreSystem : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly IWorkflowHost _host;
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiting = new(StringComparer.Ordinal);
    private int _batch;

    private WorkflowCoreSystem(ServiceProvider services, int steps)
    {
        _services = services;
        Steps = steps;
        _host = services.GetRequiredService<IWorkflowHost>();
        _host.OnLifeCycleEvent += OnLifeCycleEvent;
    }

    public int Steps { get; }

    /// <summary>Starts Workflow Core; <paramref name="maxConcurrent"/> sets <c>UseMaxConcurrentWorkflows</c> (its default is the core count) and <paramref name="idleTime"/> its idle poll.</summary>
    public static WorkflowCoreSystem Start(int steps, int? maxConcurrent = null, TimeSpan? idleTime = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.ClearProviders());
        services.AddWorkflow(o =>
        {
            if (maxConcurrent is { } max)
            {
                o.UseMaxConcurrentWorkflows(max);
            }

            if (idleTime is { } idle)
            {
                o.UseIdleTime(idle);
            }
        });
        services.AddTransient<NoopStep>();
        var provider = services.BuildServiceProvider();
        var system = new WorkflowCoreSystem(provider, steps);
        provider.GetRequiredService<IWorkflowRegistry>().RegisterWorkflow(new NoopWorkflow(steps));
        system._host.Start();
        return system;
    }

    /// <summary>Runs <paramref name="count"/> workflows; with <paramref name="sequentialStarts"/> each StartWorkflow call waits for the previous one to return, as most callers start workflows, otherwise all are started at once.</summary>
    public async Task<BatchResult> RunBatchAsync(int count, bool sequentialStarts = false)
    {
        var batch = Interlocked.Increment(ref _batch);
        using var starting = new SemaphoreSlim(sequentialStarts ? 1 : int.MaxValue);
        return await BatchResult.MeasureAsync(count, Steps, async i =>
        {
            var reference = $"{batch}-{i}";
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting[reference] = done;
            await starting.WaitAsync().ConfigureAwait(false);
            try
            {
                await _host.StartWorkflow(NoopWorkflow.Name, 1, new NoopData(), reference).ConfigureAwait(false);
            }
            finally
            {
                starting.Release();
            }

            await done.Task.ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        _host.OnLifeCycleEvent -= OnLifeCycleEvent;
        _host.Stop();
        return _services.DisposeAsync();
    }

    private void OnLifeCycleEvent(LifeCycleEvent evt)
    {
        if (evt is WorkflowCompleted && evt.Reference is { } reference && _waiting.TryRemove(reference, out var done))
        {
            done.TrySetResult();
        }
    }

    internal sealed class NoopData;

    internal sealed class NoopStep : StepBody
    {
        public override ExecutionResult Run(IStepExecutionContext context) => ExecutionResult.Next();
    }

    private sealed class NoopWorkflow(int steps) : IWorkflow<NoopData>
    {
        public const string Name = "noop";

        public string Id => Name;

        public int Version => 1;

        public void Build(IWorkflowBuilder<NoopData> builder)
        {
            var step = builder.StartWith<NoopStep>();
            for (var i = 1; i < steps; i++)
            {
                step = step.Then<NoopStep>();
            }
        }
    }
}
