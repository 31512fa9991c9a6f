using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using HyOpps.Workflows.Storage;

namespace HyOpps.Workflows.Internal;

internal static class HyOppsRegistration
{
    public static void AddCore(IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(HyOppsMarker)))
        {
            return;
        }

        services.AddSingleton<HyOppsMarker>();
        services.AddOptions();
        services.TryAdd(ServiceDescriptor.Singleton(typeof(ILogger<>), typeof(FallbackLogger<>)));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IWorkflowStore, InMemoryWorkflowStore>();
        services.AddKeyedSingleton<IWorkflowStore>(StoreDecoration.RuntimeStoreKey, static (sp, _) => StoreDecoration.CreateRuntimeStore(sp));
        services.TryAddSingleton<ExecutionSignals>();
        services.TryAddSingleton<WorkflowRegistry>();
        services.TryAddSingleton<LeaseHeartbeat>();
        services.TryAddSingleton<StepInvoker>();
        services.TryAddSingleton<ExecutionRunner>();
        services.TryAddSingleton<ExecutionDispatcher>();
        services.TryAddSingleton<ExecutionStarter>();
        services.TryAddSingleton<ExecutionWaiter>();
        services.TryAddSingleton<IWorkflowClient, WorkflowClient>();
        services.TryAddSingleton<HyOppsInitializer>();
        services.AddHostedService(sp => sp.GetRequiredService<HyOppsInitializer>());
        services.TryAddSingleton<CompletionWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<CompletionWatcher>());
        services.TryAddSingleton<WorkflowWorker>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<IOptions<HyOppsOptions>>().Value.RunWorker
            ? sp.GetRequiredService<WorkflowWorker>()
            : new NoopHostedService());
    }

    private sealed class HyOppsMarker;

    private sealed class NoopHostedService : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
