using System.Security.Cryptography;
using System.Text;
using MimeKit;

namespace HyOpps.Integrations.Email.Internal;

/// <summary>Validates the org's links and the recipient, renders the template and builds the MIME message.</summary>
internal static class DocumentationEmailComposer
{
    public static IReadOnlyList<DocumentationEmailLink> ValidateLinks(ShareDocumentationInput input)
    {
        var valid = new List<DocumentationEmailLink>(input.Links.Count);
        var invalid = new List<string>();
        foreach (var link in input.Links)
        {
            var url = link?.Url?.Trim() ?? string.Empty;
            if (Uri.TryCreate(url, UriKind.Absolute, out var uri)
                && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                && !string.IsNullOrEmpty(uri.Host))
            {
                var title = string.IsNullOrWhiteSpace(link!.Title) ? url : link.Title.Trim();
                valid.Add(new DocumentationEmailLink(title, url));
            }
            else
            {
                invalid.Add($"'{url}'" + (string.IsNullOrWhiteSpace(link?.Title) ? string.Empty : $" (\"{link.Title.Trim()}\")"));
            }
        }

        if (invalid.Count > 0)
        {
            throw StepException.Permanent(
                $"Org '{input.OrgName}' has documentation link(s) that are not absolute http or https URLs: {string.Join(", ", invalid)}. "
                + "Fix the org's documentation links, then retry the step.",
                StepErrorTypes.InvalidInput);
        }

        return valid;
    }

    public static MailboxAddress ParseRecipient(ShareDocumentationInput input)
    {
        var email = input.Email?.Trim() ?? string.Empty;
        if (!MailboxAddress.TryParse(email, out var parsed) || !IsCompleteAddress(parsed) || parsed.Address != email)
        {
            throw StepException.Permanent(
                $"The user's email '{email}' is not a valid email address; correct it and retry the step.",
                StepErrorTypes.InvalidInput);
        }

        return new MailboxAddress(DisplayName(input), parsed.Address);
    }

    public static string DisplayName(ShareDocumentationInput input) => $"{input.FirstName?.Trim()} {input.LastName?.Trim()}".Trim();

    public static bool IsCompleteAddress(MailboxAddress address)
        => !string.IsNullOrEmpty(address.LocalPart) && !string.IsNullOrEmpty(address.Domain);

    public static async ValueTask<MimeMessage> ComposeAsync(
        ShareDocumentationInput input,
        IReadOnlyList<DocumentationEmailLink> links,
        MailboxAddress from,
        MailboxAddress to,
        IDocumentationEmailTemplate template,
        string idempotencyKey,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var model = new DocumentationEmailModel
        {
            OrgName = input.OrgName.Trim(),
            FirstName = input.FirstName.Trim(),
            LastName = input.LastName.Trim(),
            DisplayName = DisplayName(input),
            Email = to.Address,
            Links = links,
        };

        var content = await template.RenderAsync(model, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"{template.GetType().Name}.RenderAsync returned null.");
        if (string.IsNullOrWhiteSpace(content.Subject) || (string.IsNullOrEmpty(content.HtmlBody) && string.IsNullOrEmpty(content.TextBody)))
        {
            throw new InvalidOperationException($"{template.GetType().Name} rendered an email without a subject or without a body.");
        }

        var message = new MimeMessage
        {
            Subject = OneLine(content.Subject),
            MessageId = CreateMessageId(idempotencyKey, from),
            Date = now,
        };
        message.From.Add(from);
        message.To.Add(to);
        message.Body = new BodyBuilder
        {
            TextBody = string.IsNullOrEmpty(content.TextBody) ? null : content.TextBody,
            HtmlBody = string.IsNullOrEmpty(content.HtmlBody) ? null : content.HtmlBody,
        }.ToMessageBody();
        return message;
    }

    /// <summary>Derives the Message-Id from the step's idempotency key, so every attempt of one run sends the same id.</summary>
    public static string CreateMessageId(string idempotencyKey, MailboxAddress from)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey));
        var domain = string.IsNullOrEmpty(from.Domain) ? "hyopps.local" : from.Domain;
        return $"hyopps.{Convert.ToHexStringLower(hash, 0, 16)}@{domain}";
    }

    private static string OneLine(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.Trim())
        {
            builder.Append(char.IsControl(c) ? ' ' : c);
        }

        return builder.ToString();
    }
}
