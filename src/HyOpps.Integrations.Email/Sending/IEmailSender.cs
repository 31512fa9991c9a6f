using MimeKit;

namespace HyOpps.Integrations.Email;

/// <summary>Sends an email and reports whether the server accepted it; replaceable, for example by a fake in tests.</summary>
public interface IEmailSender
{
    /// <summary>Sends a message to its <c>To</c>, <c>Cc</c> and <c>Bcc</c> recipients.</summary>
    /// <param name="message">The message; a missing <c>From</c> is filled from <see cref="EmailOptions.From"/>.</param>
    /// <param name="cancellationToken">The token to cancel the send.</param>
    /// <returns>What the server accepted.</returns>
    /// <exception cref="EmailApiException">The send failed; <see cref="EmailApiException.IsTransient"/> says whether a retry may succeed.</exception>
    Task<EmailSendResult> SendAsync(MimeMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// Sends a message and calls <paramref name="accepted"/> as soon as the server has accepted it (its reply to <c>DATA</c> or
    /// <c>BDAT</c>), before the connection is closed; a failure while closing (<c>QUIT</c>, a dropped connection) then no longer
    /// fails the send.
    /// </summary>
    /// <param name="message">The message; a missing <c>From</c> is filled from <see cref="EmailOptions.From"/>.</param>
    /// <param name="accepted">Called once with what the server accepted, for example to record that the message must not be sent again.</param>
    /// <param name="cancellationToken">The token to cancel the send.</param>
    /// <returns>What the server accepted.</returns>
    /// <exception cref="EmailApiException">The send failed before the server accepted the message.</exception>
    /// <remarks>The default implementation calls <see cref="SendAsync(MimeMessage, CancellationToken)"/>, then <paramref name="accepted"/>.</remarks>
    async Task<EmailSendResult> SendAsync(MimeMessage message, Func<EmailSendResult, CancellationToken, Task> accepted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        var result = await SendAsync(message, cancellationToken).ConfigureAwait(false);
        await accepted(result, cancellationToken).ConfigureAwait(false);
        return result;
    }
}
