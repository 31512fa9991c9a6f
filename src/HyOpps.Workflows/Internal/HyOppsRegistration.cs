using HyOpps.Workflows.Internal.Notifications;
using HyOpps.Workflows.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HyOpps.Workflows.Internal;

internal static class HyOppsRegistration
{
    /// <summary>The one method behind every <c>AddHyOpps</c> overload: the runtime once, then its options from a section or the default one, then code.</summary>
    public static IHyOppsBuilder AddRuntime(IServiceCollection services, IConfigurationSection? section, Action<HyOppsOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        AddCore(services);
        var options = services.AddOptions<HyOppsOptions>();
        if (section is not null)
        {
            services.AddSingleton<IConfigureOptions<HyOppsOptions>>(new BindSection<HyOppsOptions>(() => section));
            services.AddSingleton(new RuntimeSectionPath(section.Path));
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        return new HyOppsBuilder(services);
    }

    private static void AddCore(IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(HyOppsMarker)))
        {
            return;
        }

        services.AddSingleton<HyOppsMarker>();
        services.AddOptions();
        services.TryAdd(ServiceDescriptor.Singleton(typeof(ILogger<>), typeof(FallbackLogger<>)));

        // The default section is bound first, so that code given to AddHyOpps(options => ...) and later sections win over it.
        services.AddSingleton<IConfigureOptions<HyOppsOptions>>(sp => new BindSection<HyOppsOptions>(
            () => sp.GetService<IConfiguration>()?.GetSection(HyOppsServiceCollectionExtensions.RuntimeSectionName)));
        services.AddOptions<HyOppsOptions>().ValidateOnStart();
        services.AddSingleton<IValidateOptions<HyOppsOptions>>(sp => new HyOppsOptionsValidator(
            sp.GetServices<RuntimeSectionPath>().LastOrDefault()?.Path ?? HyOppsServiceCollectionExtensions.RuntimeSectionName));

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IWorkflowStore, InMemoryWorkflowStore>();
        services.AddKeyedSingleton<IWorkflowStore>(StoreDecoration.RuntimeStoreKey, static (sp, _) => StoreDecoration.CreateRuntimeStore(sp));
        services.TryAddSingleton<ExecutionSignals>();
        services.TryAddSingleton<ISharedResourceLocks, SharedResourceLocks>();
        services.TryAddSingleton<WorkflowRegistry>();
        services.TryAddSingleton<LeaseHeartbeat>();
        services.TryAddSingleton<StepInvoker>();
        services.TryAddSingleton(sp => new NotificationSwitch(sp.GetServices<NotifierRegistration>().Any()));
        services.TryAddSingleton<ExecutionCommitter>();
        services.TryAddSingleton<ExecutionRunner>();
        services.TryAddSingleton<ExecutionDispatcher>();
        services.TryAddSingleton<ExecutionStarter>();
        services.TryAddSingleton<ExecutionWaiter>();
        services.TryAddSingleton<IWorkflowClient, WorkflowClient>();
        services.TryAddSingleton<HyOppsInitializer>();
        services.AddHostedService(sp => sp.GetRequiredService<HyOppsInitializer>());
        services.TryAddSingleton<CompletionWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<CompletionWatcher>());
        services.TryAddSingleton<ExecutionRetention>();
        services.TryAddSingleton<IExecutionRetention>(sp => sp.GetRequiredService<ExecutionRetention>());
        services.AddHostedService<RetentionService>();
        services.TryAddSingleton<WorkflowWorker>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<IOptions<HyOppsOptions>>().Value.RunWorker
            ? sp.GetRequiredService<WorkflowWorker>()
            : new NoopHostedService());
    }

    private sealed class HyOppsMarker;

    private sealed record RuntimeSectionPath(string Path);

    private sealed class NoopHostedService : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
