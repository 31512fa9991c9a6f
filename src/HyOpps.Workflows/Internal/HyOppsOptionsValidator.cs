using Microsoft.Extensions.Options;

namespace HyOpps.Workflows.Internal;

/// <summary>Validates the runtime's options at start-up, naming each setting by its configuration key and its bad value.</summary>
internal sealed partial class HyOppsOptionsValidator(string sectionPath) : IValidateOptions<HyOppsOptions>
{
    public ValidateOptionsResult Validate(string? name, HyOppsOptions options)
    {
        var errors = new List<string>();
        void Check(bool ok, string key, object value, string rule)
        {
            if (!ok)
            {
                errors.Add($"{sectionPath}:{key} {rule} (was '{value}').");
            }
        }

        Check(options.MaxConcurrentExecutions >= 1, nameof(options.MaxConcurrentExecutions), options.MaxConcurrentExecutions, "must be at least 1");
        Check(options.PollInterval > TimeSpan.Zero, nameof(options.PollInterval), options.PollInterval, "must be positive");
        Check(options.LeaseDuration > TimeSpan.Zero, nameof(options.LeaseDuration), options.LeaseDuration, "must be positive");
        Check(!string.IsNullOrWhiteSpace(options.WorkerId), nameof(options.WorkerId), options.WorkerId ?? string.Empty, "must not be empty");
        Check(options.MaxInputBytes >= 1, nameof(options.MaxInputBytes), options.MaxInputBytes, "must be at least 1");
        Check(options.MaxAbandonedAttempts >= 1, nameof(options.MaxAbandonedAttempts), options.MaxAbandonedAttempts, "must be at least 1");
        Check(options.StuckAfter > TimeSpan.Zero, nameof(options.StuckAfter), options.StuckAfter, "must be positive");
        if (options.DefaultRetryPolicy is null)
        {
            errors.Add($"{sectionPath}:{nameof(options.DefaultRetryPolicy)} must be set.");
        }
        else
        {
            try
            {
                options.DefaultRetryPolicy.Validate($"{sectionPath}:{nameof(options.DefaultRetryPolicy)}");
            }
            catch (ArgumentException ex)
            {
                errors.Add(ex.Message);
            }
        }

        ValidateRetention(options.Retention, $"{sectionPath}:{nameof(options.Retention)}", errors);
        ValidateNotifications(options.Notifications, $"{sectionPath}:{nameof(options.Notifications)}", errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
