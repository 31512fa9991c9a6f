namespace HyOpps.Integrations.Email;

/// <summary>How the connection to the SMTP server is secured.</summary>
public enum SmtpSecurity
{
    /// <summary>TLS from the first byte on port 465; elsewhere STARTTLS when the server offers it, plain text when it does not.</summary>
    Auto,

    /// <summary>STARTTLS is required; the send fails when the server does not offer it (usual on port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (implicit TLS, usual on port 465).</summary>
    SslOnConnect,

    /// <summary>No TLS at all; only for servers on a trusted network or in tests.</summary>
    None,
}
