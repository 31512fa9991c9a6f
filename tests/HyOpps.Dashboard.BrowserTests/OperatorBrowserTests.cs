using HyOpps.Dashboard.BrowserTests.Host;
using HyOpps.Integrations.Metabase;
using HyOpps.Testing.Simulation;
using HyOpps.TestUtilities.Browser;
using Microsoft.Playwright;
using static HyOpps.Dashboard.BrowserTests.Ui;
using static Microsoft.Playwright.Assertions;

namespace HyOpps.Dashboard.BrowserTests;

/// <summary>An admin operates onboardings in headless Chromium: starts one, watches it, reads step outputs, retries, re-runs.</summary>
/// <remarks>Script is off in these pages: the dashboard must work as plain HTML (links, forms, <c>details</c>, meta refresh).</remarks>
public sealed class OperatorBrowserTests(ChromiumFixture chromium, OnboardingHostFixture fixture)
    : IClassFixture<ChromiumFixture>, IClassFixture<OnboardingHostFixture>
{
    private OnboardingBrowserHost Host => fixture.Host;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AddUser_AsAdmin_ListRefreshesUntilSucceededAndStep4OutputShowsMetabaseGroupId()
    {
        var email = NewEmail("jane");
        await using var session = await BrowserSession.OpenAsync(chromium, Host.Address, javaScriptEnabled: false);
        await session.RunAsync(async page =>
        {
            await SignInAsync(page, TestUser.Admin, "/");
            await Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync("admin");

            Host.Gate.Hold(email);
            var row = ExecutionRow(page, email);
            try
            {
                await AddPartnerUserAsync(page, OnboardingBrowserHost.OrgAId, email);
                await Expect(row).ToHaveAttributeAsync("data-status", new System.Text.RegularExpressions.Regex("^(Pending|Running)$"));
                await Expect(page.GetByTestId("auto-refresh")).ToHaveCountAsync(1);
            }
            finally
            {
                Host.Gate.Release(email);
            }

            // Nobody reloads: the list refreshes itself until the run is over.
            await Expect(row).ToHaveAttributeAsync("data-status", "Succeeded", new() { Timeout = LiveRefreshTimeout });
            await Expect(page.GetByTestId("auto-refresh")).ToHaveCountAsync(0);
            await AssertNoHorizontalScrollAsync(page);
            await BrowserArtifacts.SaveScreenshotAsync(page, "execution-list");
            var id = await row.GetAttributeAsync("data-execution-id");

            await row.GetByTestId("execution-link").ClickAsync();
            await Expect(page).ToHaveURLAsync(Host.Address + ExecutionPath(id!)[1..]);
            await Expect(page.GetByTestId("execution-status")).ToHaveTextAsync("Succeeded");
            var step = Step(page, AddUserToMetabaseGroupStep.Id);
            await Expect(step.Locator(".hd-step-number")).ToHaveTextAsync("4.");
            await Expect(step).ToHaveAttributeAsync("data-step-status", "Succeeded");

            var output = step.GetByTestId("step-output");
            await Expect(output.Locator("pre")).ToBeHiddenAsync();
            await output.Locator("summary").ClickAsync();
            await Expect(output.Locator("pre")).ToBeVisibleAsync();
            await Expect(output.Locator("pre")).ToContainTextAsync($"\"metabase_group_id\": {Host.OrgA.MetabaseGroupId}");
            await Expect(output.Locator("pre")).ToContainTextAsync("\"verified\": true");

            var user = Host.Metabase.FindUserByEmail(email);
            Assert.NotNull(user);
            Assert.Contains(Host.OrgA.MetabaseGroupId, Host.Metabase.GetGroupIdsOfUser(user.Id));
            await AssertNoHorizontalScrollAsync(page);
            await BrowserArtifacts.SaveScreenshotAsync(page, "execution-detail");
        });
    }

    [Fact]
    public async Task FailedStep_AdminPressesRetry_ExecutionSucceeds()
    {
        var email = NewEmail("retry");
        Host.Metabase.Faults.Add(
            SimulatedFault.Status(403, "You don't have permissions to do that."),
            times: 1,
            method: "POST",
            pathPrefix: "/api/permissions/membership");
        await using var session = await BrowserSession.OpenAsync(chromium, Host.Address, javaScriptEnabled: false);
        await session.RunAsync(async page =>
        {
            await SignInAsync(page, TestUser.Admin, "/");
            await AddPartnerUserAsync(page, OnboardingBrowserHost.OrgAId, email);
            var row = ExecutionRow(page, email);
            await Expect(row).ToHaveAttributeAsync("data-status", "Failed", new() { Timeout = LiveRefreshTimeout });
            await Expect(row.Locator(".hd-error-cell")).ToContainTextAsync("failed with 403");

            await row.GetByTestId("execution-link").ClickAsync();
            var step = Step(page, AddUserToMetabaseGroupStep.Id);
            await Expect(step).ToHaveAttributeAsync("data-step-status", "Failed");
            await Expect(step.GetByTestId("step-error")).ToContainTextAsync("HyOpps:Metabase:ApiKey");
            await Expect(step.Locator("tr[data-run='1'][data-attempt='1'][data-outcome='Failed']")).ToBeVisibleAsync();
            await AssertNoHorizontalScrollAsync(page);
            await BrowserArtifacts.SaveScreenshotAsync(page, "execution-failed");

            await step.GetByTestId("retry-reason").FillAsync("API key fixed");
            await step.GetByTestId("retry-button").ClickAsync();
            await Expect(page.GetByTestId("flash")).ToBeVisibleAsync();
            await Expect(Execution(page)).ToHaveAttributeAsync("data-status", "Succeeded", new() { Timeout = LiveRefreshTimeout });
            await Expect(step).ToHaveAttributeAsync("data-step-status", "Succeeded");
            await Expect(step.Locator("tr[data-attempt][data-outcome='Succeeded']")).ToHaveCountAsync(1);
            await Expect(step.Locator("tr[data-attempt][data-outcome='Failed']")).ToHaveCountAsync(1);
            var audit = page.Locator("tr[data-action='retry'][data-actor='admin']");
            await Expect(audit.GetByTestId("audit-reason")).ToHaveTextAsync("API key fixed");
        });

        Assert.Equal(0, Host.Metabase.Faults.Pending);
    }

    [Fact]
    public async Task RerunFromStep_AfterConfirmation_RunsThatStepAndLaterOnesAgain()
    {
        var email = NewEmail("rerun");
        var done = await Host.RunOnboardingAsync(Host.OrgA, email, Ct);
        Assert.Equal(Workflows.ExecutionStatus.Succeeded, done.Status);
        await using var session = await BrowserSession.OpenAsync(chromium, Host.Address, javaScriptEnabled: false);
        await session.RunAsync(async page =>
        {
            await SignInAsync(page, TestUser.Admin, ExecutionPath(done.Id));
            var step = Step(page, AddUserToMetabaseGroupStep.Id);
            await step.GetByTestId("rerun-link").ClickAsync();

            // The confirmation is a required checkbox: submitting without it stays on the confirmation page.
            var confirmUrl = page.Url;
            await page.GetByTestId("rerun-button").ClickAsync();
            Assert.Equal(confirmUrl, page.Url);
            await page.GetByTestId("rerun-confirm").CheckAsync();
            await page.GetByTestId("rerun-button").ClickAsync();

            await Expect(page.GetByTestId("flash")).ToBeVisibleAsync();
            await Expect(Execution(page)).ToHaveAttributeAsync("data-status", "Succeeded", new() { Timeout = LiveRefreshTimeout });
            await Expect(step).ToHaveAttributeAsync("data-step-run", "2");
            await Expect(Step(page, "record_onboarding")).ToHaveAttributeAsync("data-step-run", "2");
            await Expect(Step(page, CreateMetabaseAccountStep.Id)).ToHaveAttributeAsync("data-step-run", "1");
            await step.GetByTestId("step-output").Locator("summary").ClickAsync();
            await Expect(step.GetByTestId("step-output").Locator("pre")).ToContainTextAsync("\"action\": \"already_member\"");
            await Expect(page.Locator("tr[data-action='rerun_from'][data-actor='admin']")).ToHaveCountAsync(1);
        });
    }
}
