using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;
using MimeKit.Utils;

namespace HyOpps.Integrations.Email.Internal;

/// <summary>
/// Sends through MailKit: connect (TLS as configured, trusting a pinned certificate or private CA when set), authenticate when a
/// user name is set, send, report the acceptance, disconnect.
/// </summary>
internal sealed partial class MailKitEmailSender(IOptionsMonitor<EmailOptions> options, ILogger<MailKitEmailSender>? logger = null) : IEmailSender
{
    private readonly ILogger _logger = logger ?? NullLogger<MailKitEmailSender>.Instance;

    private enum Stage
    {
        Connect,
        Authenticate,
        Send,
    }

    public Task<EmailSendResult> SendAsync(MimeMessage message, CancellationToken cancellationToken)
        => SendAsync(message, static (_, _) => Task.CompletedTask, cancellationToken);

    public async Task<EmailSendResult> SendAsync(MimeMessage message, Func<EmailSendResult, CancellationToken, Task> accepted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(accepted);
        var settings = options.CurrentValue;
        if (!settings.IsConfigured)
        {
            throw new EmailApiException(EmailErrorKind.NotConfigured, isTransient: false, settings.NotConfiguredMessage);
        }

        if (message.From.Count == 0)
        {
            if (string.IsNullOrWhiteSpace(settings.From) || !MailboxAddress.TryParse(settings.From.Trim(), out var from))
            {
                throw new EmailApiException(EmailErrorKind.InvalidAddress, isTransient: false, $"The message has no From address and {settings.SectionPath}:From (or {EmailConfigurationKeys.From}) is not a valid address.");
            }

            message.From.Add(from);
        }

        var recipients = message.GetRecipients(onlyUnique: true).Select(static r => r.Address).ToArray();
        if (recipients.Length == 0)
        {
            throw new EmailApiException(EmailErrorKind.InvalidAddress, isTransient: false, "The message has no recipients.");
        }

        if (string.IsNullOrEmpty(message.MessageId))
        {
            message.MessageId = MimeUtils.GenerateMessageId();
        }

        var host = settings.Host!.Trim();
        var port = settings.EffectivePort;
        var stage = Stage.Connect;
        using var client = new SmtpClient { Timeout = (int)settings.Timeout.TotalMilliseconds };
        ServerCertificateTrust? trust;
        try
        {
            trust = ServerCertificateTrust.Create(settings);
        }
        catch (InvalidOperationException ex)
        {
            throw new EmailApiException(EmailErrorKind.NotConfigured, isTransient: false, ex.Message);
        }

        if (trust is not null)
        {
            // Exactly one certificate (or one issuer) is trusted; the pin or the private CA says nothing about revocation.
            client.CheckCertificateRevocation = false;
            client.ServerCertificateValidationCallback = trust.Validate;
        }
        else if (settings.AcceptUntrustedCertificates)
        {
            client.CheckCertificateRevocation = false;
            client.ServerCertificateValidationCallback = static (_, _, _, _) => true;
        }

        string response;
        try
        {
            await client.ConnectAsync(host, port, ToSocketOptions(settings.Security), cancellationToken).ConfigureAwait(false);
            LogConnected(_logger, host, port, client.IsSecure);

            if (!string.IsNullOrWhiteSpace(settings.UserName))
            {
                stage = Stage.Authenticate;
                await client.AuthenticateAsync(settings.UserName.Trim(), settings.Password ?? string.Empty, cancellationToken).ConfigureAwait(false);
            }

            stage = Stage.Send;
            response = await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Classify(ex, stage, settings, host, port, trust?.Refusal, cancellationToken) is { } failure)
        {
            LogSendFailed(_logger, message.MessageId, host, port, failure.Kind, failure.IsTransient, failure.Message);
            throw failure;
        }

        LogAccepted(_logger, message.MessageId, host, port, recipients.Length, response);
        var result = new EmailSendResult(message.MessageId, recipients, response);

        // Before QUIT: a crash or a slow goodbye after this point must not lead to a second send.
        await accepted(result, cancellationToken).ConfigureAwait(false);

        // The server has accepted the message: a failure to say goodbye must not turn that into a failure (and a resend).
        try
        {
            await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ProtocolException or OperationCanceledException or TimeoutException or CommandException)
        {
            LogDisconnectFailed(_logger, host, port, ex.Message);
        }

        return result;
    }

    private static SecureSocketOptions ToSocketOptions(SmtpSecurity security) => security switch
    {
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        SmtpSecurity.None => SecureSocketOptions.None,
        _ => SecureSocketOptions.Auto,
    };

    private static EmailApiException? Classify(Exception ex, Stage stage, EmailOptions settings, string host, int port, string? refusal, CancellationToken cancellationToken)
    {
        var p = settings.SectionPath;
        var server = $"the SMTP server {host}:{port}";
        var user = settings.UserName?.Trim();
        EmailApiException? failure = ex switch
        {
            OperationCanceledException when cancellationToken.IsCancellationRequested => null,
            SmtpCommandException command => FromCommand(command, server, p),
            MailKit.Security.AuthenticationException => new EmailApiException(
                EmailErrorKind.AuthenticationFailed, false,
                $"{Capitalize(server)} rejected the credentials of user '{user}': {OneLine(ex.Message)}. Check {p}:UserName and {p}:Password (or {EmailConfigurationKeys.User} and {EmailConfigurationKeys.Password}).",
                535, ex),
            ServiceNotAuthenticatedException => new EmailApiException(
                EmailErrorKind.AuthenticationRequired, false,
                $"{Capitalize(server)} requires authentication: {OneLine(ex.Message)}. Set {p}:UserName and {p}:Password (or {EmailConfigurationKeys.User} and {EmailConfigurationKeys.Password}).",
                530, ex),
            SslHandshakeException when refusal is not null => new EmailApiException(
                EmailErrorKind.TlsFailed, false,
                $"The TLS handshake with {server} failed. {refusal} Check the setting, or the server's certificate.",
                null, ex),
            SslHandshakeException => new EmailApiException(
                EmailErrorKind.TlsFailed, false,
                $"The TLS handshake with {server} failed: {OneLine(ex.Message)}. Check {p}:Security ({settings.Security}; SslOnConnect is for port 465, StartTls or Auto for 587 and 25) and that the server's certificate is trusted by this machine.",
                null, ex),
            NotSupportedException when stage == Stage.Connect => new EmailApiException(
                EmailErrorKind.TlsNotSupported, false,
                $"{Capitalize(server)} does not offer STARTTLS, which {p}:Security = {settings.Security} requires: {OneLine(ex.Message)}. Use a server or port that offers TLS.",
                null, ex),
            NotSupportedException when stage == Stage.Authenticate => new EmailApiException(
                EmailErrorKind.AuthenticationNotSupported, false,
                $"{Capitalize(server)} offers no authentication mechanism MailKit supports on this connection (many servers offer AUTH only over TLS): {OneLine(ex.Message)}. Check {p}:Security, or clear {p}:UserName if the server needs no authentication.",
                null, ex),
            SmtpProtocolException or ServiceNotConnectedException => new EmailApiException(
                EmailErrorKind.ProtocolError, true,
                $"The conversation with {server} broke off during {Describe(stage)}: {OneLine(ex.Message)}.",
                null, ex),
            TimeoutException or OperationCanceledException => new EmailApiException(
                EmailErrorKind.Timeout, true,
                $"{Capitalize(server)} did not answer within {settings.Timeout} during {Describe(stage)} ({p}:Timeout)."
                    + (stage == Stage.Connect && settings.Security != SmtpSecurity.SslOnConnect ? $" If the port expects TLS from the first byte (as 465 does), set {p}:Security to SslOnConnect." : string.Empty),
                null, ex),
            SocketException socket => new EmailApiException(
                EmailErrorKind.ConnectionFailed, true,
                $"Cannot reach {server} during {Describe(stage)}: {socket.Message} ({socket.SocketErrorCode}). Check {p}:Host and {p}:Port (or {EmailConfigurationKeys.Host} and {EmailConfigurationKeys.Port}) and that the server is up.",
                null, ex),
            IOException io => new EmailApiException(
                EmailErrorKind.ConnectionFailed, true,
                $"The connection to {server} failed during {Describe(stage)}: {OneLine(io.Message)}.",
                null, ex),
            _ => null,
        };

        return failure is null ? null : Redact(failure, settings.Password);
    }

    private static EmailApiException FromCommand(SmtpCommandException ex, string server, string p)
    {
        var code = (int)ex.StatusCode;
        var transient = code is >= 400 and < 500;
        var reply = $"{code} {OneLine(ex.Message)}";
        var retry = transient ? " This is a temporary failure; it will be retried." : string.Empty;
        return ex.ErrorCode switch
        {
            SmtpErrorCode.SenderNotAccepted => new EmailApiException(
                EmailErrorKind.SenderRejected, transient,
                $"{Capitalize(server)} rejected the sender <{ex.Mailbox?.Address}>: {reply}.{retry}{(transient ? string.Empty : $" Check {p}:From (or {EmailConfigurationKeys.From}); many servers only accept the authenticated user's own address.")}",
                code, ex),
            SmtpErrorCode.RecipientNotAccepted => new EmailApiException(
                EmailErrorKind.RecipientRejected, transient,
                $"{Capitalize(server)} rejected the recipient <{ex.Mailbox?.Address}>: {reply}.{retry}{(transient ? string.Empty : " Check the user's email address.")}",
                code, ex),
            SmtpErrorCode.MessageNotAccepted => new EmailApiException(
                EmailErrorKind.MessageRejected, transient,
                $"{Capitalize(server)} rejected the message: {reply}.{retry}",
                code, ex),
            _ => new EmailApiException(
                EmailErrorKind.CommandRejected, transient,
                $"{Capitalize(server)} answered with an unexpected reply: {reply}.{retry}",
                code, ex),
        };
    }

    private static EmailApiException Redact(EmailApiException failure, string? password)
    {
        // Defence in depth: no server reply should echo the password, but never let one through if it does.
        if (string.IsNullOrEmpty(password) || password.Length < 4 || !failure.Message.Contains(password, StringComparison.Ordinal))
        {
            return failure;
        }

        return new EmailApiException(failure.Kind, failure.IsTransient, failure.Message.Replace(password, "***", StringComparison.Ordinal), failure.ReplyCode, innerException: null);
    }

    private static string Describe(Stage stage) => stage switch
    {
        Stage.Connect => "connect",
        Stage.Authenticate => "authentication",
        _ => "sending",
    };

    private static string Capitalize(string text) => string.Concat(text[..1].ToUpperInvariant(), text.AsSpan(1));

    private static string OneLine(string text)
    {
        // Trailing dots go because the caller ends the sentence.
        var line = text.ReplaceLineEndings(" ").Trim().TrimEnd('.');
        return line.Length > 300 ? line[..300] + " (truncated)" : line;
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Debug, Message = "Connected to SMTP server {Host}:{Port} (secure: {IsSecure})")]
    private static partial void LogConnected(ILogger logger, string host, int port, bool isSecure);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "SMTP server {Host}:{Port} accepted message {MessageId} for {RecipientCount} recipient(s): {ServerResponse}")]
    private static partial void LogAccepted(ILogger logger, string messageId, string host, int port, int recipientCount, string serverResponse);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Sending message {MessageId} through SMTP server {Host}:{Port} failed ({Kind}, transient: {IsTransient}): {Reason}")]
    private static partial void LogSendFailed(ILogger logger, string messageId, string host, int port, EmailErrorKind kind, bool isTransient, string reason);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Debug, Message = "Disconnecting from SMTP server {Host}:{Port} after an accepted send failed: {Reason}")]
    private static partial void LogDisconnectFailed(ILogger logger, string host, int port, string reason);
}
