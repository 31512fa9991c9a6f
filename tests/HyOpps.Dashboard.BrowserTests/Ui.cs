using System.Text.RegularExpressions;
using HyOpps.Dashboard.BrowserTests.Host;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HyOpps.Dashboard.BrowserTests;

/// <summary>What a person does in the test host's pages, in browser terms.</summary>
internal static partial class Ui
{
    /// <summary>How long a page may take to refresh itself into the expected state (the dashboard reloads every second here).</summary>
    public const float LiveRefreshTimeout = 30_000;

    /// <summary>Opens <paramref name="path"/>, gets sent to the sign-in page, signs in and lands back on <paramref name="path"/>.</summary>
    public static async Task SignInAsync(IPage page, TestUser user, string path = OnboardingBrowserHost.DashboardPrefix)
    {
        await page.GotoAsync(path);
        await Expect(page).ToHaveURLAsync(SignInUrl());
        await page.GetByTestId("username").FillAsync(user.UserName);
        await page.GetByTestId("password").FillAsync(user.Password);
        await page.GetByTestId("sign-in").ClickAsync();
        await Expect(page).Not.ToHaveURLAsync(SignInUrl());
    }

    /// <summary>Fills the host's "add a partner user" form and submits it; the host answers with the executions list.</summary>
    public static async Task AddPartnerUserAsync(IPage page, string orgId, string email, string firstName = "Jane", string lastName = "Doe")
    {
        await page.GotoAsync("/");
        await page.GetByTestId("org").SelectOptionAsync(orgId);
        await page.GetByTestId("email").FillAsync(email);
        await page.GetByTestId("first-name").FillAsync(firstName);
        await page.GetByTestId("last-name").FillAsync(lastName);
        await page.GetByTestId("add-user").ClickAsync();
        await Expect(page).ToHaveURLAsync(ListUrl());
    }

    /// <summary>Fails when the page is wider than the 1280 px window (a table or long value pushing past the edge).</summary>
    public static async Task AssertNoHorizontalScrollAsync(IPage page)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        var (scroll, client) = (widths[0], widths[1]);
        Xunit.Assert.True(scroll <= client, $"The page {page.Url} is {scroll} px wide in a {client} px window.");
    }

    /// <summary>The executions list row of the onboarding of <paramref name="email"/>.</summary>
    public static ILocator ExecutionRow(IPage page, string email)
        => page.Locator("tr[data-execution-id]").Filter(new LocatorFilterOptions { Has = page.Locator($"[data-label=email]", new PageLocatorOptions { HasText = email }) });

    /// <summary>A step of the execution page.</summary>
    public static ILocator Step(IPage page, string stepId) => page.Locator($"li[data-step-id=\"{stepId}\"]");

    /// <summary>The execution section of the execution page, whose <c>data-status</c> is the execution's status.</summary>
    public static ILocator Execution(IPage page) => page.Locator("section#execution");

    public static string ExecutionPath(string executionId) => $"{OnboardingBrowserHost.DashboardPrefix}/executions/{executionId}";

    public static string NewEmail(string who) => $"{who}.{Guid.NewGuid():N}@partner.example".ToLowerInvariant();

    [GeneratedRegex(@"/login\?ReturnUrl=|/login$")]
    private static partial Regex SignInUrl();

    [GeneratedRegex(@"/hyopps/?$")]
    public static partial Regex ListUrl();
}
