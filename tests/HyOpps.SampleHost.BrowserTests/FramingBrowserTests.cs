using HyOpps.SampleHost.BrowserTests.Host;
using HyOpps.TestUtilities.Browser;
using Microsoft.Playwright;

namespace HyOpps.SampleHost.BrowserTests;

/// <summary>Issue 14, scenario 5: another site cannot show the host's pages in a frame (clickjacking).</summary>
public sealed class FramingBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SignInPage_FramedByAnotherSite_IsNotShown_WhileAFrameableResourceIs()
    {
        await using var host = await SampleHostInstance.StartAsync(Ct);
        await using var session = await BrowserSession.OpenAsync(chromium, host.Address, javaScriptEnabled: false);
        await session.RunAsync(async page =>
        {
            // The attacker's page on another origin (localhost, not 127.0.0.1; both loopback, so the browser's private-network
            // rules do not stop the frame first), served by the browser itself: a routed request never sent anywhere.
            var attackerPage = $"http://localhost:{host.Address.Port}/attacker-frame";
            var login = new Uri(host.Address, "/account/login").ToString();
            var stylesheet = new Uri(host.Address, "/site.css").ToString();
            await page.RouteAsync(attackerPage, route => route.FulfillAsync(new RouteFulfillOptions
            {
                ContentType = "text/html",
                Body = $"""<!DOCTYPE html><html><body><iframe id="victim" src="{login}"></iframe><iframe id="control" src="{stylesheet}"></iframe></body></html>""",
            }));

            // The load event waits for both frames; the stylesheet shows (no frame-ancestors on it), the sign-in form does not.
            await page.GotoAsync(attackerPage, new PageGotoOptions { WaitUntil = WaitUntilState.Load });

            Assert.Contains("body{", await page.FrameLocator("#control").Locator("body").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal(0, await page.FrameLocator("#victim").Locator("[data-testid=login-form]").CountAsync());
            Assert.Equal(2, page.Frames.Count(f => f != page.MainFrame));

            // The same page opened directly works.
            await page.GotoAsync("/account/login");
            Assert.Equal(1, await page.Locator("[data-testid=login-form]").CountAsync());
        });
    }
}
