using MimeKit;

namespace HyOpps.Integrations.Email.Internal;

/// <summary>Fails start-up when email notifications have no recipient or one that is not an address, naming the key.</summary>
internal sealed class EmailNotificationOptionsValidator : IntegrationOptionsValidator<EmailNotificationOptions>
{
    protected override void Validate(EmailNotificationOptions options, List<string> errors)
    {
        var p = options.SectionPath;
        if (options.To.Count == 0)
        {
            errors.Add($"{p}:To must name at least one address to send execution notifications to.");
        }

        for (var i = 0; i < options.To.Count; i++)
        {
            var address = options.To[i];
            if (!MailboxAddress.TryParse(address?.Trim() ?? string.Empty, out var mailbox) || !DocumentationEmailComposer.IsCompleteAddress(mailbox))
            {
                errors.Add($"{p}:To:{i} is not an email address (was '{address}').");
            }
        }
    }
}
