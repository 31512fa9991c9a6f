namespace HyOpps.Workflows.Internal.Notifications;

/// <summary>
/// Whether this host writes notification events: only when a notifier is registered, so that a host that sends none leaves
/// no outbox rows behind. Every host that runs workflows or operator actions should therefore register the same notifiers.
/// </summary>
internal sealed record NotificationSwitch(bool Enabled);
