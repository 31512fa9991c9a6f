using HyOpps.Workflows.Notifications;

namespace HyOpps.Workflows.Internal.Notifications;

/// <summary>One notifier added to the host, under the name its deliveries are recorded by.</summary>
internal sealed record NotifierRegistration(string Name, Func<IServiceProvider, IExecutionNotifier> Factory);
