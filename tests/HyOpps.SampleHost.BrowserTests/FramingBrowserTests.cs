using HyOpps.SampleHost.BrowserTests.Host;
using HyOpps.TestUtilities.Browser;
using Microsoft.Playwright;

namespace HyOpps.SampleHost.BrowserTests;

/// <summary>Issue 14, scenario 5: another site cannot show the host's pages in a frame (clickjacking).</summary>
public sealed class FramingBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    // Served by the browser itself (a routed request, never sent to the network): the attacker's page on another origin.
    private const string AttackerPage = "http://attacker.invalid/frame";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SignInPage_FramedByAnotherSite_IsNotShown_WhileAFrameableResourceIs()
    {
        await using var host = await SampleHostInstance.StartAsync(Ct);
        await using var session = await BrowserSession.OpenAsync(chromium, host.Address, javaScriptEnabled: false);
        await session.RunAsync(async page =>
        {
            var login = new Uri(host.Address, "/account/login").ToString();
            var stylesheet = new Uri(host.Address, "/site.css").ToString();
            await page.RouteAsync(AttackerPage, route => route.FulfillAsync(new RouteFulfillOptions
            {
                ContentType = "text/html",
                Body = $"""<!DOCTYPE html><html><body><iframe id="victim" src="{login}"></iframe><iframe id="control" src="{stylesheet}"></iframe></body></html>""",
            }));

            // The login page's answer reaches the browser; the browser then refuses to render it in the frame.
            var framedAnswer = page.WaitForResponseAsync(login);
            await page.GotoAsync(AttackerPage, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
            var answer = await framedAnswer;

            Assert.Equal(200, answer.Status);
            Assert.Contains("frame-ancestors 'none'", (await answer.AllHeadersAsync())["content-security-policy"], StringComparison.Ordinal);
            Assert.Equal(0, await page.FrameLocator("#victim").Locator("[data-testid=login-form]").CountAsync());
            Assert.Contains("body{", await page.FrameLocator("#control").Locator("body").InnerTextAsync(), StringComparison.Ordinal);

            // The same page opened directly works.
            await page.GotoAsync("/account/login");
            Assert.Equal(1, await page.Locator("[data-testid=login-form]").CountAsync());
        });
    }
}
