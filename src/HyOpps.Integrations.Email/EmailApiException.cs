namespace HyOpps.Integrations.Email;

/// <summary>The mail server answered with an error or could not be reached: classified as transient or permanent, with the SMTP reply code when there was one.</summary>
/// <remarks>The message names the server and the reply; it never holds the password.</remarks>
public sealed class EmailApiException : HyOppsException
{
    /// <summary>Initializes a new instance of the <see cref="EmailApiException"/> class.</summary>
    /// <param name="kind">What went wrong.</param>
    /// <param name="isTransient">Whether a later attempt may succeed.</param>
    /// <param name="message">A message a person can act on; never includes the password.</param>
    /// <param name="replyCode">The SMTP reply code, when the server answered.</param>
    /// <param name="innerException">The cause.</param>
    public EmailApiException(EmailErrorKind kind, bool isTransient, string message, int? replyCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        IsTransient = isTransient;
        ReplyCode = replyCode;
    }

    /// <summary>Gets what went wrong.</summary>
    public EmailErrorKind Kind { get; }

    /// <summary>Gets a value indicating whether a later attempt may succeed (connection failures, time-outs, 4xx replies).</summary>
    public bool IsTransient { get; }

    /// <summary>Gets the SMTP reply code (for example 535 or 550), when the server answered.</summary>
    public int? ReplyCode { get; }
}
