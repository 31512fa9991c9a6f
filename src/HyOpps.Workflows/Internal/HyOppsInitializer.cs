using HyOpps.Workflows.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HyOpps.Workflows.Internal;

/// <summary>Validates the workflow definitions and prepares the store when the host starts.</summary>
internal sealed class HyOppsInitializer(IServiceProvider services, IOptions<HyOppsOptions> options) : IHostedService
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Ready => _ready.Task;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            Validate(options.Value);
            _ = (WorkflowRegistry)services.GetService(typeof(WorkflowRegistry))!;
            var store = (IWorkflowStore?)services.GetService(typeof(IWorkflowStore))
                ?? throw new InvalidOperationException("No HyOpps workflow store is configured: call UseSqlite(connectionString) (HyOpps.Storage.Sqlite) on the HyOpps builder.");
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
}
