using System.Security.Cryptography.X509Certificates;

namespace HyOpps.Testing.Smtp;

/// <summary>Options of an <see cref="SmtpSimulator"/>: authentication and TLS.</summary>
public sealed class SmtpSimulatorOptions
{
    /// <summary>Gets or sets the name the server gives in its greeting. The default value is <c>localhost</c>.</summary>
    public string ServerName { get; set; } = "localhost";

    /// <summary>Gets or sets the only user name accepted; when set, authentication is required before <c>MAIL FROM</c>. The default value is <see langword="null"/> (no authentication).</summary>
    public string? UserName { get; set; }

    /// <summary>Gets or sets the password accepted for <see cref="UserName"/>. The default value is <see langword="null"/>.</summary>
    public string? Password { get; set; }

    /// <summary>Gets or sets how TLS is offered. The default value is <see cref="SmtpSimulatorTls.None"/>.</summary>
    /// <remarks>With TLS on, authentication is advertised only on a secured connection, as real submission servers do.</remarks>
    public SmtpSimulatorTls Tls { get; set; } = SmtpSimulatorTls.None;

    /// <summary>Gets or sets the server certificate used for TLS. The default value is <see langword="null"/>: a self-signed certificate for <c>localhost</c> and <c>127.0.0.1</c> is made when TLS is on.</summary>
    public X509Certificate2? Certificate { get; set; }
}
