namespace HyOpps.Integrations.Email;

/// <summary>Renders the documentation email; register your own implementation to replace the default wording.</summary>
/// <remarks>
/// The links are validated (absolute http or https) before rendering. Every value of the model comes from an org or a user:
/// an implementation must HTML-encode each one it puts into <see cref="DocumentationEmailContent.HtmlBody"/>, attribute
/// values included (for example with <c>System.Text.Encodings.Web.HtmlEncoder</c>).
/// </remarks>
public interface IDocumentationEmailTemplate
{
    /// <summary>Renders the subject and the HTML and plain-text bodies.</summary>
    /// <param name="model">The org, the recipient and the validated links.</param>
    /// <param name="cancellationToken">The token to cancel rendering.</param>
    /// <returns>The rendered email.</returns>
    ValueTask<DocumentationEmailContent> RenderAsync(DocumentationEmailModel model, CancellationToken cancellationToken);
}
