using HyOpps.Integrations.Email.Internal;
using MimeKit;

namespace HyOpps.Integrations.Email;

/// <summary>Emails the org's documentation links to the new user (step <c>share_documentation</c>).</summary>
/// <remarks>
/// Reads <see cref="ShareDocumentationInput"/>; a link that is not an absolute http or https URL fails the step permanently,
/// naming the link, so that the org can be fixed and the step retried (a definition that maps the links at each attempt then
/// sends the fixed ones). The <c>Message-Id</c> derives from the
/// step's idempotency key and a checkpoint is saved the moment the server accepts the email (its reply to <c>DATA</c>, before
/// <c>QUIT</c>), so an attempt after a crash returns the recorded result instead of sending again. Output: <see cref="ShareDocumentationOutput"/>.
/// </remarks>
[HyOppsStep("share_documentation")]
public sealed partial class ShareDocumentationStep : IWorkflowStep<ShareDocumentationInput>
{
    private readonly IEmailSender _sender;
    private readonly IDocumentationEmailTemplate _template;
    private readonly IOptionsMonitor<EmailOptions> _options;

    /// <summary>Initializes a new instance of the <see cref="ShareDocumentationStep"/> class.</summary>
    /// <param name="sender">Sends the email.</param>
    /// <param name="template">Renders the email.</param>
    /// <param name="options">The SMTP settings, for the sender address.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public ShareDocumentationStep(IEmailSender sender, IDocumentationEmailTemplate template, IOptionsMonitor<EmailOptions> options)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(options);
        _sender = sender;
        _template = template;
        _options = options;
    }

    private async ValueTask<StepResult> RunAsync(ShareDocumentationInput input, StepContext context, CancellationToken cancellationToken)
    {
        if (context.GetCheckpoint<ShareDocumentationCheckpoint>() is { Accepted: true } done)
        {
            LogAlreadySent(context.Logger, done.MessageId);
            return StepResult.Succeeded(new ShareDocumentationOutput(done.MessageId, done.Recipients ?? []));
        }

        var settings = _options.CurrentValue;
        if (!settings.IsConfigured)
        {
            throw StepException.NotConfigured(settings.NotConfiguredMessage);
        }

        if (string.IsNullOrWhiteSpace(settings.From) || !MailboxAddress.TryParse(settings.From.Trim(), out var from))
        {
            throw StepException.NotConfigured($"SMTP is not configured: set {settings.SectionPath}:From (or {EmailConfigurationKeys.From}) to the sender, for example \"HyOpps <noreply@example.com>\".");
        }

        var links = DocumentationEmailComposer.ValidateLinks(input);
        var to = DocumentationEmailComposer.ParseRecipient(input);
        var message = await DocumentationEmailComposer.ComposeAsync(
            input, links, from, to, _template, context.IdempotencyKey, context.TimeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);

        EmailSendResult result;
        try
        {
            // Recorded the moment the server accepts (before QUIT), and not cancellable: the server has the email, so a later
            // attempt must not send it again.
            result = await _sender.SendAsync(
                message,
                (accepted, _) => context.SaveCheckpointAsync(new ShareDocumentationCheckpoint(accepted.MessageId, true, accepted.Recipients), CancellationToken.None).AsTask(),
                cancellationToken).ConfigureAwait(false);
        }
        catch (EmailApiException ex)
        {
            throw ToStepException(ex);
        }

        LogSent(context.Logger, result.MessageId, input.OrgName, result.Recipients.Count);
        return StepResult.Succeeded(new ShareDocumentationOutput(result.MessageId, result.Recipients));
    }

    private static StepException ToStepException(EmailApiException ex)
    {
        if (ex.Kind == EmailErrorKind.NotConfigured)
        {
            return StepException.NotConfigured(ex.Message);
        }

        if (ex.IsTransient)
        {
            var type = ex.Kind == EmailErrorKind.Timeout ? StepErrorTypes.Timeout : StepErrorTypes.Transient;
            return StepException.Transient(ex.Message, type, retryAfter: null, innerException: ex);
        }

        var permanentType = ex.Kind switch
        {
            EmailErrorKind.AuthenticationFailed or EmailErrorKind.AuthenticationRequired => StepErrorTypes.Unauthorized,
            EmailErrorKind.RecipientRejected or EmailErrorKind.InvalidAddress => StepErrorTypes.InvalidInput,
            _ => StepErrorTypes.Permanent,
        };
        return StepException.Permanent(ex.Message, permanentType, ex);
    }

    [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "Documentation email {MessageId} was accepted earlier; not sending it again")]
    private static partial void LogAlreadySent(ILogger logger, string messageId);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Information, Message = "Sent documentation email {MessageId} of org {OrgName} to {RecipientCount} recipient(s)")]
    private static partial void LogSent(ILogger logger, string messageId, string orgName, int recipientCount);
}
