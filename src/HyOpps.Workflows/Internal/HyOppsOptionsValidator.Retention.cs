namespace HyOpps.Workflows.Internal;

/// <content>The retention settings.</content>
internal sealed partial class HyOppsOptionsValidator
{
    private const int MaxRetentionBatch = 10_000;

    private static void ValidateRetention(HyOppsRetentionOptions retention, string path, List<string> errors)
    {
        void Age(TimeSpan? age, string key)
        {
            if (age is { } a && a <= TimeSpan.Zero)
            {
                errors.Add($"{path}:{key} must be positive (was '{a}').");
            }
        }

        Age(retention.SucceededAge, nameof(retention.SucceededAge));
        Age(retention.FailedAge, nameof(retention.FailedAge));
        Age(retention.CancelledAge, nameof(retention.CancelledAge));
        if (retention.BatchSize is < 1 or > MaxRetentionBatch)
        {
            errors.Add($"{path}:{nameof(retention.BatchSize)} must be between 1 and {MaxRetentionBatch} (was '{retention.BatchSize}').");
        }

        if (retention.Interval <= TimeSpan.Zero)
        {
            errors.Add($"{path}:{nameof(retention.Interval)} must be positive (was '{retention.Interval}').");
        }

        foreach (var (name, own) in retention.Workflows)
        {
            var key = $"{nameof(retention.Workflows)}:{name}";
            if (own is null)
            {
                errors.Add($"{path}:{key} must be set.");
                continue;
            }

            Age(own.SucceededAge, $"{key}:{nameof(own.SucceededAge)}");
            Age(own.FailedAge, $"{key}:{nameof(own.FailedAge)}");
            Age(own.CancelledAge, $"{key}:{nameof(own.CancelledAge)}");
        }
    }
}
