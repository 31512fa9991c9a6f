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

    /// <summary>Returns the address as matched everywhere: trimmed and lower-case.</summary>
    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();

    internal static string Shorten(string value) => value.Length <= 80 ? value : value[..80] + "...";
}
