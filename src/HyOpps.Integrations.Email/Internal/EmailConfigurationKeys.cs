using HyOpps.Integrations.Shared;

namespace HyOpps.Integrations.Email.Internal;

/// <summary>The environment variable names of the original app, read from the root configuration.</summary>
internal static class EmailConfigurationKeys
{
    public const string Host = "SMTP_HOST";
    public const string Port = "SMTP_PORT";
    public const string User = "SMTP_USER";
    public const string Password = "SMTP_PASSWORD";
    public const string From = "EMAIL_FROM";

    public static string NotConfiguredMessage(string path)
        => IntegrationMessages.NotConfigured(
            "SMTP",
            $"{path}:Host (or {Host}) and {path}:From (or {From}), plus {path}:UserName and {path}:Password (or {User} and {Password}) "
            + "if the server requires authentication");
}
