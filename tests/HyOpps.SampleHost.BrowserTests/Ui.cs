using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HyOpps.SampleHost.BrowserTests;

/// <summary>What a person does in the sample host's pages, in browser terms (data-testid selectors).</summary>
internal static partial class Ui
{
    /// <summary>
    /// How long a page may take to reach a state that needs the workflow to run: the dashboard reloads a running execution's
    /// page every 5 s (meta refresh), and the ten sandbox steps take a few seconds on a loaded 2-core machine.
    /// </summary>
    public const float RunTimeout = 90_000;

    /// <summary>Opens <paramref name="path"/>, gets sent to the sign-in page, signs in and lands back on <paramref name="path"/>.</summary>
    public static async Task SignInAsync(IPage page, string userName, string password, string path = "/")
    {
        await page.GotoAsync(path);
        await Expect(page).ToHaveURLAsync(SignInUrl());
        await page.GetByTestId("username").FillAsync(userName);
        await page.GetByTestId("password").FillAsync(password);
        await page.GetByTestId("sign-in").ClickAsync();
        await Expect(page).Not.ToHaveURLAsync(SignInUrl());
        await Expect(page.GetByTestId("login-error")).ToHaveCountAsync(0);
    }

    /// <summary>Fills the org page's "add a user" form and submits it; the host answers with the org page again.</summary>
    public static async Task AddUserAsync(IPage page, string email, string firstName = "Jane", string lastName = "Doe")
    {
        var form = page.GetByTestId("add-user-form");
        await form.GetByTestId("email").FillAsync(email);
        await form.GetByTestId("first-name").FillAsync(firstName);
        await form.GetByTestId("last-name").FillAsync(lastName);
        var orgUrl = page.Url;
        await form.GetByTestId("add-user").ClickAsync();
        await Expect(page).ToHaveURLAsync(orgUrl);
        await Expect(page.GetByTestId("form-errors")).ToHaveCountAsync(0);
    }

    /// <summary>The users table row of <paramref name="email"/> (org page or users page).</summary>
    public static ILocator UserRow(IPage page, string email) => page.Locator($"[data-testid=users-table] tr[data-email=\"{email}\"]");

    /// <summary>The orgs list row of the org named <paramref name="name"/>.</summary>
    public static ILocator OrgRow(IPage page, string name)
        => page.GetByTestId("orgs-table").Locator("tr[data-org-id]").Filter(new LocatorFilterOptions { Has = page.GetByTestId("org-link").GetByText(name, new() { Exact = true }) });

    /// <summary>The value cell of one integration id on the org page, for example <c>metabase_group_id</c>.</summary>
    public static ILocator OrgField(IPage page, string field) => page.Locator($"[data-testid=org-ids] tr[data-field=\"{field}\"] [data-testid=org-field-value]");

    /// <summary>The execution section of the dashboard's execution page, whose <c>data-status</c> is the execution's status.</summary>
    public static ILocator Execution(IPage page) => page.Locator("section#execution");

    /// <summary>A step of the dashboard's execution page.</summary>
    public static ILocator Step(IPage page, string stepId) => page.Locator($"li[data-step-id=\"{stepId}\"]");

    /// <summary>Opens a step's "Output data" and returns its text.</summary>
    public static async Task<ILocator> OpenOutputAsync(IPage page, string stepId)
    {
        var output = Step(page, stepId).GetByTestId("step-output");
        await Expect(output.Locator("pre")).ToBeHiddenAsync();
        await output.Locator("summary").ClickAsync();
        await Expect(output.Locator("pre")).ToBeVisibleAsync();
        return output.Locator("pre");
    }

    /// <summary>Waits (reloaded by the page's own refresh, bounded by <see cref="RunTimeout"/>) until the execution has <paramref name="status"/>.</summary>
    public static Task WaitForExecutionAsync(IPage page, string status)
        => Expect(Execution(page)).ToHaveAttributeAsync("data-status", status, new() { Timeout = RunTimeout });

    public static string ExecutionPath(string executionId) => $"/hyopps/executions/{executionId}";

    public static string NewEmail(string who) => $"{who}.{Guid.NewGuid():N}@partner.example".ToLowerInvariant();

    [GeneratedRegex(@"/account/login(\?|$)")]
    public static partial Regex SignInUrl();

    [GeneratedRegex(@"/hyopps/executions/[^/?#]+$")]
    public static partial Regex ExecutionUrl();

    [GeneratedRegex(@"""metabase_user_id"": (\d+)")]
    public static partial Regex MetabaseUserId();
}
