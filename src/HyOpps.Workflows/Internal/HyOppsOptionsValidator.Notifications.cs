namespace HyOpps.Workflows.Internal;

/// <content>The notification settings.</content>
internal sealed partial class HyOppsOptionsValidator
{
    private const int MaxNotificationBatch = 1_000;

    private static void ValidateNotifications(HyOppsNotificationOptions notifications, string path, List<string> errors)
    {
        void Positive(TimeSpan value, string key)
        {
            if (value <= TimeSpan.Zero)
            {
                errors.Add($"{path}:{key} must be positive (was '{value}').");
            }
        }

        if (notifications.DashboardBaseUrl is { } url
            && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)))
        {
            errors.Add($"{path}:{nameof(notifications.DashboardBaseUrl)} must be an absolute http or https address (was '{url}').");
        }

        Positive(notifications.RetryBackoff, nameof(notifications.RetryBackoff));
        Positive(notifications.MaxRetryBackoff, nameof(notifications.MaxRetryBackoff));
        if (notifications.MaxRetryBackoff < notifications.RetryBackoff)
        {
            errors.Add($"{path}:{nameof(notifications.MaxRetryBackoff)} must not be shorter than {nameof(notifications.RetryBackoff)} (was '{notifications.MaxRetryBackoff}').");
        }

        Positive(notifications.PollInterval, nameof(notifications.PollInterval));
        Positive(notifications.ClaimDuration, nameof(notifications.ClaimDuration));
        Positive(notifications.NotifierTimeout, nameof(notifications.NotifierTimeout));
        if (notifications.NotifierTimeout >= notifications.ClaimDuration && notifications.ClaimDuration > TimeSpan.Zero)
        {
            // A call allowed to outlast the claim could still be sending when another host claims the same notification.
            errors.Add($"{path}:{nameof(notifications.NotifierTimeout)} must be shorter than {nameof(notifications.ClaimDuration)} ('{notifications.ClaimDuration}') (was '{notifications.NotifierTimeout}').");
        }

        Positive(notifications.MaxAge, nameof(notifications.MaxAge));
        if (notifications.BatchSize is < 1 or > MaxNotificationBatch)
        {
            errors.Add($"{path}:{nameof(notifications.BatchSize)} must be between 1 and {MaxNotificationBatch} (was '{notifications.BatchSize}').");
        }
    }
}
