namespace HyOpps.Integrations.Email;

/// <summary>What went wrong when sending an email.</summary>
public enum EmailErrorKind
{
    /// <summary>No SMTP host is configured.</summary>
    NotConfigured,

    /// <summary>The server could not be reached, or the connection broke (transient).</summary>
    ConnectionFailed,

    /// <summary>The server did not answer in time (transient).</summary>
    Timeout,

    /// <summary>The server answered something MailKit could not understand, or hung up mid-command (transient).</summary>
    ProtocolError,

    /// <summary>The TLS handshake failed: wrong security mode for the port, or an untrusted certificate.</summary>
    TlsFailed,

    /// <summary>STARTTLS is required by the settings but the server does not offer it.</summary>
    TlsNotSupported,

    /// <summary>A user name is set but the server offers no authentication mechanism on this connection.</summary>
    AuthenticationNotSupported,

    /// <summary>The server requires authentication and no user name is set (530).</summary>
    AuthenticationRequired,

    /// <summary>The server rejected the user name or password (535).</summary>
    AuthenticationFailed,

    /// <summary>The server rejected the sender (<c>MAIL FROM</c>).</summary>
    SenderRejected,

    /// <summary>The server rejected a recipient (<c>RCPT TO</c>).</summary>
    RecipientRejected,

    /// <summary>The server rejected the message (<c>DATA</c>).</summary>
    MessageRejected,

    /// <summary>The server rejected another command.</summary>
    CommandRejected,

    /// <summary>An address is malformed.</summary>
    InvalidAddress,
}
