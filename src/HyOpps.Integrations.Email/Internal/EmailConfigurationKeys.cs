namespace HyOpps.Integrations.Email.Internal;

/// <summary>The environment variable names of the original app, read from the root configuration.</summary>
internal static class EmailConfigurationKeys
{
    public const string Host = "SMTP_HOST";
    public const string Port = "SMTP_PORT";
    public const string User = "SMTP_USER";
    public const string Password = "SMTP_PASSWORD";
    public const string From = "EMAIL_FROM";
}
