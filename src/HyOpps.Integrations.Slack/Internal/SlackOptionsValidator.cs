namespace HyOpps.Integrations.Slack.Internal;

/// <summary>Fails start-up on malformed Slack settings, naming the key; missing settings are only "not configured".</summary>
internal sealed class SlackOptionsValidator : IntegrationOptionsValidator<SlackOptions>
{
    protected override void Validate(SlackOptions options, List<string> failures)
    {
        Func<string, string> key = options.Key;

        if (options.BaseUrl is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{key(nameof(SlackOptions.BaseUrl))} must be an absolute http or https URL such as https://slack.com/api/ (was '{options.BaseUrl}').");
        }

        CheckToken(options.BotToken, nameof(SlackOptions.BotToken));
        CheckToken(options.AdminToken, nameof(SlackOptions.AdminToken));

        if (!string.IsNullOrWhiteSpace(options.AdminToken))
        {
            if (!options.IsConfigured)
            {
                failures.Add($"{key(nameof(SlackOptions.AdminToken))} is set but {key(nameof(SlackOptions.BotToken))} is not: set the bot token too (or the environment variable {SlackOptions.BotTokenEnvironmentKey}).");
            }

            if (string.IsNullOrWhiteSpace(options.TeamId))
            {
                failures.Add($"{key(nameof(SlackOptions.TeamId))} is required when {key(nameof(SlackOptions.AdminToken))} is set: admin.users.invite needs the workspace id (T...).");
            }
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{key(nameof(SlackOptions.Timeout))} must be more than 0 and at most 10 minutes (was {options.Timeout}).");
        }

        IntegrationMessages.CheckRange(failures, key(nameof(SlackOptions.MaxRetryAttempts)), options.MaxRetryAttempts, 0, 10);

        IntegrationMessages.CheckRange(failures, key(nameof(SlackOptions.RetryDelay)), options.RetryDelay, TimeSpan.Zero, TimeSpan.FromMinutes(1));

        IntegrationMessages.CheckRange(failures, key(nameof(SlackOptions.MaxRetryAfter)), options.MaxRetryAfter, TimeSpan.Zero, TimeSpan.FromMinutes(5));

        if (options.AccountWaitAttempts < 1)
        {
            failures.Add($"{key(nameof(SlackOptions.AccountWaitAttempts))} must be at least 1 (was {options.AccountWaitAttempts}).");
        }

        if (options.AccountWaitInterval <= TimeSpan.Zero)
        {
            failures.Add($"{key(nameof(SlackOptions.AccountWaitInterval))} must be more than 0 (was {options.AccountWaitInterval}).");
        }

        void CheckToken(string? token, string property)
        {
            // A token pasted with a stray space or newline fails every call with invalid_auth; say so at start-up instead.
            // The value itself is never echoed: it is a secret.
            if (token is not null && token.Length > 0 && (token.Trim().Length != token.Length || token.Any(char.IsWhiteSpace)))
            {
                failures.Add($"{key(property)} contains whitespace: paste the token without spaces or line breaks.");
            }
        }
    }
}
