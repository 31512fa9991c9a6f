using HyOpps.Dashboard.BrowserTests.Host;
using HyOpps.Integrations.Metabase;
using HyOpps.TestUtilities.Browser;
using static HyOpps.Dashboard.BrowserTests.Ui;
using static Microsoft.Playwright.Assertions;

namespace HyOpps.Dashboard.BrowserTests;

/// <summary>A partner admin of org A signs in and sees org A's onboardings only, read-only; org B's answer 404.</summary>
public sealed class PartnerAdminBrowserTests(ChromiumFixture chromium, OnboardingHostFixture fixture)
    : IClassFixture<ChromiumFixture>, IClassFixture<OnboardingHostFixture>
{
    private OnboardingBrowserHost Host => fixture.Host;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PartnerAdmin_SeesOnlyOrgAExecutions_AndOrgBDetailAnswers404()
    {
        var ours = new[]
        {
            (await Host.RunOnboardingAsync(Host.OrgA, NewEmail("a1"), Ct)).Id,
            (await Host.RunOnboardingAsync(Host.OrgA, NewEmail("a2"), Ct)).Id,
        };
        var theirs = (await Host.RunOnboardingAsync(Host.OrgB, NewEmail("b1"), Ct)).Id;

        await using var session = await BrowserSession.OpenAsync(chromium, Host.Address, javaScriptEnabled: false);
        await session.RunAsync(async page =>
        {
            await SignInAsync(page, TestUser.PartnerAdminOfOrgA);
            await Expect(page).ToHaveURLAsync(ListUrl());
            var rows = page.Locator("tr[data-execution-id]");
            await Expect(rows).ToHaveCountAsync(ours.Length);
            var listed = await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.executionId)");
            Assert.Equal(ours.Order(), listed.Order());
            await Expect(page.Locator($"tr[data-execution-id='{theirs}']")).ToHaveCountAsync(0);

            // Org B's execution does not exist as far as this user can tell.
            var response = await page.GotoAsync(ExecutionPath(theirs));
            Assert.Equal(404, response!.Status);
            await Expect(page.Locator("body")).Not.ToContainTextAsync("b1.");

            // Org A's execution shows full step detail, without operator buttons.
            await page.GotoAsync(ExecutionPath(ours[0]));
            await Expect(page.GetByTestId("execution-status")).ToHaveTextAsync("Succeeded");
            var output = Step(page, AddUserToMetabaseGroupStep.Id).GetByTestId("step-output");
            await output.Locator("summary").ClickAsync();
            await Expect(output.Locator("pre")).ToContainTextAsync($"\"metabase_group_id\": {Host.OrgA.MetabaseGroupId}");
            await Expect(page.GetByTestId("rerun-link")).ToHaveCountAsync(0);
            await Expect(page.Locator("form[method=post]")).ToHaveCountAsync(0);

            // The host's own page offers only their org.
            await page.GotoAsync("/");
            await Expect(page.GetByTestId("org").Locator("option")).ToHaveCountAsync(1);
            await Expect(page.GetByTestId("org").Locator("option")).ToHaveAttributeAsync("value", OnboardingBrowserHost.OrgAId);
        });
    }

    [Fact]
    public async Task Dashboard_SignedOut_SendsToSignInAndRefusesAWrongPassword()
    {
        await using var session = await BrowserSession.OpenAsync(chromium, Host.Address, javaScriptEnabled: false);
        await session.RunAsync(async page =>
        {
            await page.GotoAsync(OnboardingBrowserHost.DashboardPrefix);
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login\\?ReturnUrl=%2Fhyopps$"));
            await page.GetByTestId("username").FillAsync(TestUser.Admin.UserName);
            await page.GetByTestId("password").FillAsync("not-the-password");
            await page.GetByTestId("sign-in").ClickAsync();
            await Expect(page.GetByTestId("login-error")).ToBeVisibleAsync();

            await page.GetByTestId("username").FillAsync(TestUser.Admin.UserName);
            await page.GetByTestId("password").FillAsync(TestUser.Admin.Password);
            await page.GetByTestId("sign-in").ClickAsync();
            await Expect(page).ToHaveURLAsync(ListUrl());
            await Expect(page.Locator("h1")).ToHaveTextAsync("Executions");

            await page.GotoAsync("/");
            await page.GetByTestId("sign-out").ClickAsync();
            await page.GotoAsync(OnboardingBrowserHost.DashboardPrefix);
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login\\?ReturnUrl="));
        });
    }
}
