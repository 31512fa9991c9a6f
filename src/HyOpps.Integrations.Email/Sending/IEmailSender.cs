using MimeKit;

namespace HyOpps.Integrations.Email;

/// <summary>Sends an email and reports whether the server accepted it; replaceable, for example by a fake in tests.</summary>
public interface IEmailSender
{
    /// <summary>Sends a message to its <c>To</c>, <c>Cc</c> and <c>Bcc</c> recipients.</summary>
    /// <param name="message">The message; a missing <c>From</c> is filled from <see cref="EmailOptions.From"/>.</param>
    /// <param name="cancellationToken">The token to cancel the send.</param>
    /// <returns>What the server accepted.</returns>
    /// <exception cref="EmailSendException">The send failed; <see cref="EmailSendException.IsTransient"/> says whether a retry may succeed.</exception>
    Task<EmailSendResult> SendAsync(MimeMessage message, CancellationToken cancellationToken);
}
