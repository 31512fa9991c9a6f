using HyOpps.Storage.Sqlite;
using HyOpps.Storage.Sqlite.Internal;
using HyOpps.Workflows;
using HyOpps.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HyOpps.Benchmarks.Systems;

/// <summary>A HyOpps host on a SQLite file running a workflow of no-op steps.</summary>
internal sealed class HyOppsSystem : IAsyncDisposable
{
    public const string WorkflowName = "noop";

    private readonly IHost _host;

    private HyOppsSystem(IHost host, string databasePath, int steps)
    {
        _host = host;
        DatabasePath = databasePath;
        Steps = steps;
        Client = host.Services.GetRequiredService<IWorkflowClient>();
        Store = (SqliteWorkflowStore)host.Services.GetRequiredService<IWorkflowStore>();
        Timed = host.Services.GetService<TimedStore>();
    }

    public IWorkflowClient Client { get; }

    public SqliteWorkflowStore Store { get; }

    /// <summary>Gets the timing decorator around the store, when the system was started with one.</summary>
    public TimedStore? Timed { get; }

    public string DatabasePath { get; }

    public int Steps { get; }

    public IServiceProvider Services => _host.Services;

    public static async Task<HyOppsSystem> StartAsync(string databasePath, SqliteSynchronousMode synchronous, int steps, int maxConcurrent, Action<IServiceCollection, IHyOppsBuilder>? configure = null, bool timed = false)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        var hyopps = builder.Services.AddHyOpps(o => o.MaxConcurrentExecutions = maxConcurrent)
            .UseSqlite($"Data Source={databasePath}", s => s.Synchronous = synchronous);
        if (steps > 0)
        {
            hyopps.AddWorkflow(WorkflowName, wf =>
            {
                for (var i = 0; i < steps; i++)
                {
                    wf.Step($"s{i}", static (_, _) => ValueTask.FromResult(StepResult.Succeeded()));
                }
            });
        }

        configure?.Invoke(builder.Services, hyopps);
        if (timed)
        {
            // Decorate the store the runtime uses so that the time each call takes, as the runtime sees it, is recorded.
            builder.Services.AddSingleton(sp => new TimedStore(sp.GetRequiredService<IWorkflowStore>()));
            hyopps.DecorateStore(static (_, services) => services.GetRequiredService<TimedStore>());
        }
        var host = builder.Build();
        await host.StartAsync().ConfigureAwait(false);
        return new HyOppsSystem(host, databasePath, steps);
    }

    /// <summary>Starts <paramref name="count"/> executions at once and waits for each to complete.</summary>
    public async Task<BatchResult> RunBatchAsync(int count, Func<int, StartExecutionOptions?>? options = null, string workflow = WorkflowName, Func<int, string>? input = null)
    {
        var (transactionsBefore, operationsBefore) = Store.WriterCounters;
        var busyBefore = Store.WriterBusyTime;
        var result = await BatchResult.MeasureAsync(count, Steps, async i =>
        {
            var execution = await Client.StartJsonAsync(workflow, input?.Invoke(i) ?? "{}", options?.Invoke(i)).ConfigureAwait(false);
            var detail = await Client.WaitForCompletionAsync(execution.ExecutionId).ConfigureAwait(false);
            if (detail.Status != ExecutionStatus.Succeeded)
            {
                throw new InvalidOperationException($"Execution {execution.ExecutionId} ended {detail.Status}: {detail.Error}");
            }
        }).ConfigureAwait(false);
        var (transactionsAfter, operationsAfter) = Store.WriterCounters;
        return result with
        {
            WriterBusy = Store.WriterBusyTime - busyBefore,
            Transactions = transactionsAfter - transactionsBefore,
            Operations = operationsAfter - operationsBefore,
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync().ConfigureAwait(false);
        _host.Dispose();
    }
}
