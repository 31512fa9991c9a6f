using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace HyOpps.Integrations.Email.Internal;

/// <summary>The built-in wording of the documentation email.</summary>
internal sealed class DefaultDocumentationEmailTemplate : IDocumentationEmailTemplate
{
    // Encodes markup characters (< > & " ' and more) but keeps letters of every script readable.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    public ValueTask<DocumentationEmailContent> RenderAsync(DocumentationEmailModel model, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        var subject = $"Your {model.OrgName} documentation";
        var greeting = string.IsNullOrWhiteSpace(model.FirstName) ? "Hello," : $"Hello {model.FirstName},";

        var text = new StringBuilder()
            .AppendLine(greeting)
            .AppendLine()
            .AppendLine($"Welcome to {model.OrgName}. Here is the documentation to get you started:")
            .AppendLine();
        foreach (var link in model.Links)
        {
            text.AppendLine($"- {link.Title}: {link.Url}");
        }

        text.AppendLine()
            .AppendLine("This message was sent by HyOpps on behalf of " + model.OrgName + ".");

        var html = new StringBuilder()
            .AppendLine("<!DOCTYPE html>")
            .AppendLine("<html><head><meta charset=\"utf-8\"><title>" + Html.Encode(subject) + "</title></head>")
            .AppendLine("<body style=\"font-family: sans-serif\">")
            .AppendLine("<p>" + Html.Encode(greeting) + "</p>")
            .AppendLine("<p>Welcome to <strong>" + Html.Encode(model.OrgName) + "</strong>. Here is the documentation to get you started:</p>")
            .AppendLine("<ul>");
        foreach (var link in model.Links)
        {
            html.AppendLine("<li><a href=\"" + Html.Encode(link.Url) + "\">" + Html.Encode(link.Title) + "</a></li>");
        }

        html.AppendLine("</ul>")
            .AppendLine("<p>This message was sent by HyOpps on behalf of " + Html.Encode(model.OrgName) + ".</p>")
            .AppendLine("</body></html>");

        return ValueTask.FromResult(new DocumentationEmailContent(subject, html.ToString(), text.ToString()));
    }
}
