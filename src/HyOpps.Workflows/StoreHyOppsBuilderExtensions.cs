using System.Diagnostics.CodeAnalysis;
using HyOpps.Workflows.Internal;
using HyOpps.Workflows.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace HyOpps;

/// <summary>Decorates the store the HyOpps runtime uses.</summary>
public static class StoreHyOppsBuilderExtensions
{
    /// <summary>Wraps the runtime's store, for example to time or count its calls; decorators apply in the order added, the first innermost.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <param name="decorate">Returns the store to use given the configured one (or the previous decorator) and the services.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <remarks>
    /// The order relative to <c>UseSqlite</c> or another store does not matter. The container disposes the configured store;
    /// a decorator that owns resources of its own disposes them itself.
    /// </remarks>
    [Experimental(HyOppsDiagnostics.ExperimentalStore)]
    public static IHyOppsBuilder DecorateStore(this IHyOppsBuilder builder, Func<IWorkflowStore, IServiceProvider, IWorkflowStore> decorate)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(decorate);
        builder.Services.AddSingleton(new StoreDecoration(decorate));
        return builder;
    }
}
