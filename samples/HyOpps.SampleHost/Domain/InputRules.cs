using System.Net.Mail;

namespace HyOpps.SampleHost.Domain;

/// <summary>The field rules shared by the API and the validate_partner_user step.</summary>
public static class InputRules
{
    public const int MaxEmailLength = 254;
    public const int MaxNameLength = 100;
    public const int MaxOrgNameLength = 200;
    public const int MaxExternalIdLength = 200;
    public const int MaxDocumentationLinks = 50;
    public const int MaxLinkTitleLength = 200;
    public const int MaxUrlLength = 2000;
    public const int MaxReasonLength = 1000;
    public const int MaxAllowedEmailDomains = 20;
    public const int MaxDomainLength = 253;

    /// <summary>Returns why an email address is not acceptable, or null when it is.</summary>
    public static string? CheckEmail(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return "The email is required.";
        }

        var trimmed = email.Trim();
        if (trimmed.Length > MaxEmailLength)
        {
            return $"The email is longer than {MaxEmailLength} characters.";
        }

        var at = trimmed.LastIndexOf('@');
        if (trimmed.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or ',' or ';' or '"' or '(' or ')' or '[' or ']' or '\\')
            || at <= 0
            || at != trimmed.IndexOf('@', StringComparison.Ordinal)
            || at == trimmed.Length - 1
            || !MailAddress.TryCreate(trimmed, out var parsed)
            || !string.Equals(parsed.Address, trimmed, StringComparison.Ordinal)
            || !string.IsNullOrEmpty(parsed.DisplayName))
        {
            return $"'{Shorten(trimmed)}' is not a valid email address (expected name@domain.example).";
        }

        var domain = trimmed[(at + 1)..];
        if (!domain.Contains('.', StringComparison.Ordinal) || domain.StartsWith('.') || domain.EndsWith('.') || domain.Contains("..", StringComparison.Ordinal))
        {
            return $"'{Shorten(trimmed)}' is not a valid email address: the domain '{Shorten(domain)}' is not a full domain name.";
        }

        return null;
    }

    /// <summary>Returns why a person's name is not acceptable, or null when it is.</summary>
    public static string? CheckName(string? value, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return $"The {what} is required.";
        }

        if (value.Trim().Length > MaxNameLength)
        {
            return $"The {what} is longer than {MaxNameLength} characters.";
        }

        return value.Any(char.IsControl) ? $"The {what} contains control characters." : null;
    }

    /// <summary>Returns why a documentation link URL is not acceptable (and null with the URL as stored when it is): absolute http or https, bounded, no control characters.</summary>
    public static string? CheckDocumentationUrl(string? url, out string? absolute)
    {
        absolute = null;
        if (string.IsNullOrWhiteSpace(url))
        {
            return "The URL is required.";
        }

        // Checked on the raw value: a CR, LF or NUL would otherwise reach the email's text part as typed.
        if (url.Any(char.IsControl))
        {
            return "The URL contains control characters (such as CR, LF or NUL).";
        }

        var trimmed = url.Trim();
        if (trimmed.Length > MaxUrlLength)
        {
            return $"The URL is longer than {MaxUrlLength} characters.";
        }

        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
        {
            return $"'{Shorten(trimmed)}' is not an absolute http or https URL.";
        }

        // The escaped form: whatever the parser decoded stays encoded in what is stored and mailed.
        absolute = uri.AbsoluteUri;
        return absolute.Length > MaxUrlLength ? $"The URL is longer than {MaxUrlLength} characters once encoded." : null;
    }

    /// <summary>Returns why an allowed email domain is not acceptable, or null when it is (a full domain name such as partner.example).</summary>
    public static string? CheckEmailDomain(string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        if (domain.Length > MaxDomainLength || domain.Length == 0
            || !domain.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.')
            || !domain.Contains('.', StringComparison.Ordinal) || domain.StartsWith('.') || domain.EndsWith('.') || domain.Contains("..", StringComparison.Ordinal)
            || domain.Split('.').Any(label => label.Length > 63 || label.StartsWith('-') || label.EndsWith('-')))
        {
            return $"'{Shorten(domain)}' is not a domain name (expected, for example, partner.example; no '@', no wildcards).";
        }

        return null;
    }

    /// <summary>Returns the domain of an address as matched against allowed domains: after the '@', lower-case.</summary>
    public static string EmailDomain(string normalizedEmail) => normalizedEmail[(normalizedEmail.LastIndexOf('@') + 1)..];

    /// <summary>Returns the address as matched everywhere: trimmed and lower-case.</summary>
    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();

    internal static string Shorten(string value) => value.Length <= 80 ? value : value[..80] + "...";
}
