using HyOpps.Integrations.Email.Internal;

namespace HyOpps.Integrations.Email.Tests;

public sealed class DefaultDocumentationEmailTemplateTests
{
    private static DocumentationEmailModel Model(string org = "Acme", params DocumentationEmailLink[] links) => new()
    {
        OrgName = org,
        FirstName = "Jane",
        LastName = "Doe",
        DisplayName = "Jane Doe",
        Email = "jane@partner.test",
        Links = links.Length == 0 ? [new DocumentationEmailLink("Start", "https://docs.acme.test/start")] : links,
    };

    [Fact]
    public async Task RenderAsync_Model_ListsOrgNameAndEveryLinkInBothBodies()
    {
        var content = await new DefaultDocumentationEmailTemplate().RenderAsync(
            Model("Acme", new DocumentationEmailLink("Start", "https://a.test/1"), new DocumentationEmailLink("Ops", "http://b.test/2")),
            TestContext.Current.CancellationToken);

        Assert.Equal("Your Acme documentation", content.Subject);
        Assert.Contains("Hello Jane,", content.TextBody);
        Assert.Contains("- Start: https://a.test/1", content.TextBody);
        Assert.Contains("- Ops: http://b.test/2", content.TextBody);
        Assert.Contains("<a href=\"https://a.test/1\">Start</a>", content.HtmlBody);
        Assert.Contains("<a href=\"http://b.test/2\">Ops</a>", content.HtmlBody);
        Assert.Contains("<strong>Acme</strong>", content.HtmlBody);
    }

    [Fact]
    public async Task RenderAsync_MarkupInValues_IsEncodedInHtmlButKeepsLettersReadable()
    {
        var content = await new DefaultDocumentationEmailTemplate().RenderAsync(
            Model("Zürich <AG> & 'Söhne'", new DocumentationEmailLink("\"quoted\"", "https://a.test/?a=1&b=\"2\"")),
            TestContext.Current.CancellationToken);

        Assert.Contains("Zürich &lt;AG&gt; &amp; &#x27;Söhne&#x27;", content.HtmlBody);
        Assert.Contains("href=\"https://a.test/?a=1&amp;b=&quot;2&quot;\"", content.HtmlBody);
        Assert.Contains("&quot;quoted&quot;</a>", content.HtmlBody);
        Assert.DoesNotContain("<AG>", content.HtmlBody);
    }

    [Fact]
    public async Task RenderAsync_NullModel_Throws()
        => await Assert.ThrowsAsync<ArgumentNullException>(() => new DefaultDocumentationEmailTemplate().RenderAsync(null!, TestContext.Current.CancellationToken).AsTask());

    [Fact]
    public void ValidateLinks_EmptyTitle_FallsBackToTheUrl()
    {
        var links = DocumentationEmailComposer.ValidateLinks(EmailTestHost.Input("Acme", [new DocumentationEmailLink(" ", " https://a.test/x ")]));

        var link = Assert.Single(links);
        Assert.Equal("https://a.test/x", link.Url);
        Assert.Equal("https://a.test/x", link.Title);
    }
}
