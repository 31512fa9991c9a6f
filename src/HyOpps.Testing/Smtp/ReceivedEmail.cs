using MimeKit;

namespace HyOpps.Testing.Smtp;

/// <summary>A message the <see cref="SmtpSimulator"/> accepted, with its SMTP envelope.</summary>
public sealed class ReceivedEmail
{
    internal ReceivedEmail(MimeMessage message, string envelopeFrom, IReadOnlyList<string> envelopeRecipients, string? authenticatedUser, bool isSecure)
    {
        Message = message;
        EnvelopeFrom = envelopeFrom;
        EnvelopeRecipients = envelopeRecipients;
        AuthenticatedUser = authenticatedUser;
        IsSecure = isSecure;
    }

    /// <summary>Gets the message as parsed by MimeKit.</summary>
    public MimeMessage Message { get; }

    /// <summary>Gets the address given in <c>MAIL FROM</c>.</summary>
    public string EnvelopeFrom { get; }

    /// <summary>Gets the addresses given in <c>RCPT TO</c>.</summary>
    public IReadOnlyList<string> EnvelopeRecipients { get; }

    /// <summary>Gets the user name the client authenticated as, or <see langword="null"/>.</summary>
    public string? AuthenticatedUser { get; }

    /// <summary>Gets a value indicating whether the message travelled over TLS.</summary>
    public bool IsSecure { get; }

    /// <summary>Gets the <c>Message-Id</c> header, without angle brackets.</summary>
    public string? MessageId => Message.MessageId;

    /// <summary>Gets the subject.</summary>
    public string? Subject => Message.Subject;

    /// <summary>Gets the plain-text body, if any.</summary>
    public string? TextBody => Message.TextBody;

    /// <summary>Gets the HTML body, if any.</summary>
    public string? HtmlBody => Message.HtmlBody;
}
