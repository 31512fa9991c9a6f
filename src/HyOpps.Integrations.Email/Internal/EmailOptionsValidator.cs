using MimeKit;

namespace HyOpps.Integrations.Email.Internal;

/// <summary>Fails start-up on malformed settings, naming the key; an absent host is "not configured", not an error.</summary>
internal sealed class EmailOptionsValidator : IntegrationOptionsValidator<EmailOptions>
{
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(10);

    protected override void Validate(EmailOptions options, List<string> errors)
    {
        var p = options.SectionPath;
        errors.AddRange(options.ConfigurationErrors);

        if (options.IsConfigured && Uri.CheckHostName(options.Host!.Trim()) == UriHostNameType.Unknown)
        {
            errors.Add($"{p}:Host (or {EmailConfigurationKeys.Host}) '{options.Host}' is not a host name or IP address; give the name only, without scheme or port (use {p}:Port).");
        }

        if (options.Port is { } port && (port < 1 || port > 65535))
        {
            errors.Add($"{p}:Port (or {EmailConfigurationKeys.Port}) must be between 1 and 65535 (was {port}).");
        }

        if (!Enum.IsDefined(options.Security))
        {
            errors.Add($"{p}:Security must be one of Auto, StartTls, SslOnConnect or None (was {options.Security}).");
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout > MaxTimeout)
        {
            errors.Add($"{p}:Timeout must be more than 0 and at most {MaxTimeout} (was {options.Timeout}).");
        }

        if (!string.IsNullOrWhiteSpace(options.From))
        {
            if (!MailboxAddress.TryParse(options.From.Trim(), out var from) || !DocumentationEmailComposer.IsCompleteAddress(from))
            {
                errors.Add($"{p}:From (or {EmailConfigurationKeys.From}) '{options.From}' is not an email address; use \"Name <address@example.com>\" or \"address@example.com\".");
            }
        }
        else if (options.IsConfigured)
        {
            errors.Add($"{p}:From (or {EmailConfigurationKeys.From}) is required when {p}:Host is set, for example \"HyOpps <noreply@example.com>\".");
        }

        if (options.IsConfigured)
        {
            var hasUser = !string.IsNullOrWhiteSpace(options.UserName);
            var hasPassword = !string.IsNullOrEmpty(options.Password);
            if (hasUser && !hasPassword)
            {
                errors.Add($"{p}:Password (or {EmailConfigurationKeys.Password}) is required when {p}:UserName is set.");
            }
            else if (hasPassword && !hasUser)
            {
                errors.Add($"{p}:UserName (or {EmailConfigurationKeys.User}) is required when {p}:Password is set.");
            }
        }

        errors.AddRange(ServerCertificateTrust.Validate(options));
    }
}
