using System.Diagnostics.CodeAnalysis;

namespace HyOpps.Workflows.Storage;

/// <summary>Implemented by a store that hears when other hosts make work runnable, so that an idle worker claims it at once rather than at its next poll.</summary>
/// <remarks>
/// The worker subscribes while it runs. Notifications may be lost (a dropped connection, for example): the worker's poll
/// stays the fallback, and a store calls back once more after it reconnects, since work may have been announced meanwhile.
/// </remarks>
[Experimental("HYOPPS0001")]
public interface IWorkflowStoreNotifications
{
    /// <summary>Starts calling <paramref name="onWork"/> whenever another host may have made an execution runnable.</summary>
    /// <param name="onWork">The callback; it must return quickly and not throw.</param>
    /// <returns>A handle that stops the calls when disposed.</returns>
    IAsyncDisposable Subscribe(Action onWork);
}
