namespace HyOpps.Testing.Smtp;

/// <summary>How the <see cref="SmtpSimulator"/> offers TLS.</summary>
public enum SmtpSimulatorTls
{
    /// <summary>Plain text only; no STARTTLS is advertised.</summary>
    None,

    /// <summary>Plain text at first, with STARTTLS advertised (as on ports 25 and 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (as on port 465).</summary>
    Implicit,
}
