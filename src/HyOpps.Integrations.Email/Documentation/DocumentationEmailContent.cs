namespace HyOpps.Integrations.Email;

/// <summary>A rendered documentation email: subject, HTML body and plain-text body (sent as <c>multipart/alternative</c>).</summary>
/// <param name="Subject">The subject; line breaks are replaced by spaces.</param>
/// <param name="HtmlBody">The HTML body, with every org or user value HTML-encoded.</param>
/// <param name="TextBody">The plain-text body.</param>
public sealed record DocumentationEmailContent(string Subject, string HtmlBody, string TextBody);
