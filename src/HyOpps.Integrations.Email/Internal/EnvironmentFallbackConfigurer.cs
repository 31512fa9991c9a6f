using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace HyOpps.Integrations.Email.Internal;

/// <summary>Fills settings left unset from the original app's root keys (SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASSWORD, EMAIL_FROM).</summary>
internal sealed class EnvironmentFallbackConfigurer(IServiceProvider services) : IPostConfigureOptions<EmailOptions>
{
    public void PostConfigure(string? name, EmailOptions options)
    {
        if (services.GetService<IConfiguration>() is not { } configuration)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(options.Host))
        {
            options.Host = Value(configuration, EmailConfigurationKeys.Host);
        }

        if (options.Port is null && Value(configuration, EmailConfigurationKeys.Port) is { } port)
        {
            if (int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                options.Port = number;
            }
            else
            {
                options.ConfigurationErrors.Add($"{EmailConfigurationKeys.Port} '{port}' is not a port number (1-65535).");
            }
        }

        if (string.IsNullOrWhiteSpace(options.UserName))
        {
            options.UserName = Value(configuration, EmailConfigurationKeys.User);
        }

        if (string.IsNullOrEmpty(options.Password))
        {
            options.Password = configuration[EmailConfigurationKeys.Password] is { Length: > 0 } password ? password : options.Password;
        }

        if (string.IsNullOrWhiteSpace(options.From))
        {
            options.From = Value(configuration, EmailConfigurationKeys.From);
        }
    }

    private static string? Value(IConfiguration configuration, string key)
        => configuration[key] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
