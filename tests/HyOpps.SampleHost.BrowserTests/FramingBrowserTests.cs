using HyOpps.SampleHost.BrowserTests.Host;
using HyOpps.TestUtilities.Browser;
using Microsoft.Playwright;

namespace HyOpps.SampleHost.BrowserTests;

/// <summary>Issue 14, scenario 5: another site cannot show the host's pages in a frame (clickjacking).</summary>
public sealed class FramingBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SignInPage_FramedByAnotherSite_IsNotShown_WhileAPageWithoutTheHeadersIs()
    {
        await using var host = await SampleHostInstance.StartAsync(Ct);
        await using var session = await BrowserSession.OpenAsync(chromium, host.Address, javaScriptEnabled: false);
        await session.RunAsync(async page =>
        {
            // The attacker's page on another origin (localhost, not 127.0.0.1; both loopback, so the browser's private-network
            // rules do not stop the frame first), served by the browser itself: a routed request never sent anywhere.
            var attackerPage = $"http://localhost:{host.Address.Port}/attacker-frame";
            var login = new Uri(host.Address, "/account/login").ToString();

            // The control: a page at the host's origin that carries no framing headers (routed too, it never reaches the host).
            var control = new Uri(host.Address, "/framing-control").ToString();
            await page.RouteAsync(control, route => route.FulfillAsync(new RouteFulfillOptions { ContentType = "text/html", Body = "<p id=\"shown\">framed</p>" }));
            await page.RouteAsync(attackerPage, route => route.FulfillAsync(new RouteFulfillOptions
            {
                ContentType = "text/html",
                Body = $"""<!DOCTYPE html><html><body><iframe id="victim" src="{login}"></iframe><iframe id="control" src="{control}"></iframe></body></html>""",
            }));

            // The load event waits for both frames; the control shows, the sign-in form does not.
            await page.GotoAsync(attackerPage, new PageGotoOptions { WaitUntil = WaitUntilState.Load });

            Assert.Equal("framed", await page.FrameLocator("#control").Locator("#shown").InnerTextAsync());
            Assert.Equal(0, await page.FrameLocator("#victim").Locator("[data-testid=login-form]").CountAsync());
            Assert.Equal(2, page.Frames.Count(f => f != page.MainFrame));

            // The same page opened directly works.
            await page.GotoAsync("/account/login");
            Assert.Equal(1, await page.Locator("[data-testid=login-form]").CountAsync());
        });
    }
}
