namespace HyOpps.Workflows.Notifications;

/// <summary>
/// Sends a message when an execution fails, a step fails permanently or a manual step waits for approval; registered with
/// <see cref="HyOpps.NotifierHyOppsBuilderExtensions.AddNotifier{TNotifier}(IHyOppsBuilder, string?)"/>.
/// </summary>
/// <remarks>
/// Delivery is at least once: the same <see cref="ExecutionNotification.EventId"/> may arrive again after a crash or when
/// another notifier of the same event failed and is retried, so a notifier deduplicates by it where its channel allows
/// (an email's Message-ID, say). A notifier that throws is retried later with backoff; it never blocks or fails the
/// execution, and the notifiers that succeeded are not called again for that event.
/// </remarks>
public interface IExecutionNotifier
{
    /// <summary>Sends one notification.</summary>
    /// <param name="notification">The event; carries no input, output, error detail or secret.</param>
    /// <param name="cancellationToken">The token to cancel the work.</param>
    /// <returns>A task that completes when the message was accepted by its channel.</returns>
    ValueTask NotifyAsync(ExecutionNotification notification, CancellationToken cancellationToken);
}
