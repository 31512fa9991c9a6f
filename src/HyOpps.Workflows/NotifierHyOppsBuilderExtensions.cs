using HyOpps.Workflows.Internal.Notifications;
using HyOpps.Workflows.Notifications;
using Microsoft.Extensions.DependencyInjection;

namespace HyOpps;

/// <summary>Adds execution notifiers to HyOpps.</summary>
public static class NotifierHyOppsBuilderExtensions
{
    /// <summary>Adds a notifier, created from the container; several notifiers may be added, and each gets every event.</summary>
    /// <typeparam name="TNotifier">The notifier type.</typeparam>
    /// <param name="builder">The HyOpps builder.</param>
    /// <param name="name">
    /// The name under which deliveries are recorded, unique among this host's notifiers; the default is the type's full name.
    /// Renaming a notifier makes it receive the events still pending again.
    /// </param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IHyOppsBuilder AddNotifier<TNotifier>(this IHyOppsBuilder builder, string? name = null)
        where TNotifier : class, IExecutionNotifier
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddNotifier(name ?? typeof(TNotifier).FullName!, static sp => ActivatorUtilities.GetServiceOrCreateInstance<TNotifier>(sp));
    }

    /// <summary>Adds a notifier made by a factory; several notifiers may be added, and each gets every event.</summary>
    /// <param name="builder">The HyOpps builder.</param>
    /// <param name="name">The name under which deliveries are recorded, unique among this host's notifiers.</param>
    /// <param name="factory">Creates the notifier once, from the host's services.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="factory"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    /// <remarks>A second notifier with the same name fails at start-up with a message naming it.</remarks>
    public static IHyOppsBuilder AddNotifier(this IHyOppsBuilder builder, string name, Func<IServiceProvider, IExecutionNotifier> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        NotificationRegistration.AddCore(builder.Services);
        builder.Services.AddSingleton(new NotifierRegistration(name, factory));
        return builder;
    }
}
