using HyOpps.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace HyOpps.Workflows.Internal;

/// <summary>One decorator of the runtime's store, added by <c>DecorateStore</c>.</summary>
internal sealed class StoreDecoration(Func<IWorkflowStore, IServiceProvider, IWorkflowStore> decorate)
{
    /// <summary>The key of the store the runtime's own services use: the configured store with every decoration applied.</summary>
    public const string RuntimeStoreKey = "HyOpps.RuntimeStore";

    public static IWorkflowStore CreateRuntimeStore(IServiceProvider services)
    {
        var store = services.GetRequiredService<IWorkflowStore>();
        foreach (var decoration in services.GetServices<StoreDecoration>())
        {
            store = decoration._decorate(store, services) ?? throw new InvalidOperationException("A DecorateStore callback returned null.");
        }

        return store;
    }

    private readonly Func<IWorkflowStore, IServiceProvider, IWorkflowStore> _decorate = decorate;
}
