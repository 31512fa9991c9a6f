using HyOpps.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyOpps.Workflows.Internal;

/// <summary>Validates the workflow definitions and prepares the store when the host starts.</summary>
internal sealed partial class HyOppsInitializer(IServiceProvider services, IOptions<HyOppsOptions> options, ILogger<HyOppsInitializer> logger) : IHostedService
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Ready => _ready.Task;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            Validate(options.Value);
            _ = (WorkflowRegistry)services.GetService(typeof(WorkflowRegistry))!;
            var store = services.GetRequiredKeyedService<IWorkflowStore>(StoreDecoration.RuntimeStoreKey);
            if (services.GetService(typeof(IWorkflowStore)) is InMemoryWorkflowStore)
            {
                LogInMemory(logger);
            }

            await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
            _ready.TrySetResult();
        }
        catch (Exception ex)
        {
            _ready.TrySetException(ex);
            throw;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static void Validate(HyOppsOptions o)
    {
        if (o.MaxConcurrentExecutions < 1)
        {
            throw new OptionsValidationException(nameof(HyOppsOptions), typeof(HyOppsOptions), [$"HyOpps:MaxConcurrentExecutions must be at least 1 (was {o.MaxConcurrentExecutions})."]);
        }

        if (o.PollInterval <= TimeSpan.Zero || o.LeaseDuration <= TimeSpan.Zero)
        {
            throw new OptionsValidationException(nameof(HyOppsOptions), typeof(HyOppsOptions), ["HyOpps:PollInterval and HyOpps:LeaseDuration must be positive."]);
        }

        if (string.IsNullOrWhiteSpace(o.WorkerId))
        {
            throw new OptionsValidationException(nameof(HyOppsOptions), typeof(HyOppsOptions), ["HyOpps:WorkerId must not be empty."]);
        }

        o.DefaultRetryPolicy.Validate("HyOpps:DefaultRetryPolicy");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "HyOpps keeps executions in memory: they are lost when the process stops. Configure a durable store, for example UseSqlite(\"Data Source=hyopps.db\").")]
    private static partial void LogInMemory(ILogger logger);
}
