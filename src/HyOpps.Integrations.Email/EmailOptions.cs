using HyOpps.Integrations.Email.Internal;

namespace HyOpps.Integrations.Email;

/// <summary>Settings of the SMTP server that sends HyOpps email, bound from <c>HyOpps:Email</c>.</summary>
/// <remarks>
/// Values left unset fall back to the root configuration keys <c>SMTP_HOST</c>, <c>SMTP_PORT</c>, <c>SMTP_USER</c>,
/// <c>SMTP_PASSWORD</c> and <c>EMAIL_FROM</c> (environment variables in a normal host). Without a host the integration is
/// not configured: start-up logs a warning and email steps fail at once.
/// </remarks>
public sealed partial class EmailOptions
{
    /// <summary>Gets or sets the SMTP server's host name or IP address (no scheme, no port). The default value is <see langword="null"/>: not configured.</summary>
    public string? Host { get; set; }

    /// <summary>Gets or sets the SMTP server's port. The default value is <see langword="null"/>: 465 with <see cref="SmtpSecurity.SslOnConnect"/>, 25 with <see cref="SmtpSecurity.None"/>, 587 otherwise.</summary>
    public int? Port { get; set; }

    /// <summary>Gets or sets how the connection is secured. The default value is <see cref="SmtpSecurity.Auto"/>.</summary>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;

    /// <summary>Gets or sets the user name to authenticate with; no authentication when empty. The default value is <see langword="null"/>.</summary>
    public string? UserName { get; set; }

    /// <summary>Gets or sets the password for <see cref="UserName"/>; never logged. The default value is <see langword="null"/>.</summary>
    public string? Password { get; set; }

    /// <summary>Gets or sets the sender, with an optional display name, for example <c>HyOpps &lt;noreply@example.com&gt;</c>. The default value is <see langword="null"/>; required when <see cref="Host"/> is set.</summary>
    public string? From { get; set; }

    /// <summary>Gets or sets how long each SMTP operation (connect, each command) may take. The default value is 30 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets a value indicating whether any server certificate is accepted, trusted or not. The default value is <see langword="false"/>.</summary>
    /// <remarks>Only for tests against a server with a self-signed certificate; never turn it on in production.</remarks>
    public bool AcceptUntrustedCertificates { get; set; }

    /// <summary>
    /// Gets or sets the SHA-256 fingerprint of the one server certificate to trust, as 64 hexadecimal digits (colons and spaces
    /// allowed), for a server whose certificate this machine does not trust. The default value is <see langword="null"/>: the
    /// machine's trust store decides.
    /// </summary>
    /// <remarks>Only this exact certificate is accepted, whatever its issuer, name or dates; renewing it needs a new pin.</remarks>
    public string? ServerCertificateSha256 { get; set; }

    /// <summary>
    /// Gets or sets the path of a PEM or DER file with the certificate authority (or authorities) that issued the server's
    /// certificate; the server must present a certificate for <see cref="Host"/> that chains to one of them. The default value is
    /// <see langword="null"/>: the machine's trust store decides.
    /// </summary>
    /// <remarks>With <see cref="ServerCertificateSha256"/> set as well, the certificate must pass both checks.</remarks>
    public string? TrustedCaFile { get; set; }

    /// <summary>Gets a value indicating whether an SMTP host is set.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);

    /// <summary>Gets the keys to set for the integration to work, by full path.</summary>
    internal IReadOnlyList<string> RequiredSettings => [Key(nameof(Host)), Key(nameof(From))];

    /// <summary>Gets the message the step fails with, and start-up warns with, while SMTP is not configured.</summary>
    internal string NotConfiguredMessage
        => IntegrationMessages.NotConfigured(
            "SMTP",
            $"{Key(nameof(Host))} (or {EmailConfigurationKeys.Host}) and {Key(nameof(From))} (or {EmailConfigurationKeys.From}), plus {Key(nameof(UserName))} "
            + $"and {Key(nameof(Password))} (or {EmailConfigurationKeys.User} and {EmailConfigurationKeys.Password}) if the server requires authentication");

    /// <summary>Gets the errors met while reading the configuration, reported by start-up validation.</summary>
    internal List<string> ConfigurationErrors { get; } = [];

    /// <summary>Gets the port to connect to, applying the default of <see cref="Security"/>.</summary>
    internal int EffectivePort => Port ?? Security switch
    {
        SmtpSecurity.SslOnConnect => 465,
        SmtpSecurity.None => 25,
        _ => 587,
    };
}
