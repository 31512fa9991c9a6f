using HyOpps.SampleHost.BrowserTests.Host;
using HyOpps.SampleHost.Sandbox;
using HyOpps.Testing.Simulation;
using HyOpps.TestUtilities.Browser;
using HyOpps.Workflows;
using static HyOpps.SampleHost.BrowserTests.Ui;
using static HyOpps.SampleHost.Workflows.PartnerWorkflowNames;
using static Microsoft.Playwright.Assertions;

namespace HyOpps.SampleHost.BrowserTests;

/// <summary>The operator's Monday in the sample host: the failed onboardings found from the overview, previewed and retried in one action.</summary>
public sealed class OverviewBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    // Enough to be a bulk action, few enough to keep the test short.
    private const int Failures = 12;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FailedOnboardings_FoundFromTheOverview_PreviewedAndRetriedInOneAction_AllSucceed()
    {
        await using var host = await SampleHostInstance.StartAsync(Ct);
        var org = await host.DemoOrgAsync(Ct);

        // Atlassian refuses every user search until the fault is cleared, so each onboarding fails at the same step.
        host.Sandbox.Atlassian.Faults.Add(
            SimulatedFault.Status(403, """{"errorMessages":["You do not have permission to browse users."]}""", "application/json"),
            times: 10_000, method: "GET", pathPrefix: "/rest/api/3/user/search");
        var emails = Enumerable.Range(0, Failures).Select(i => NewEmail($"monday{i}")).ToArray();
        var started = await Task.WhenAll(emails.Select(e => host.StartOnboardingAsync(org.Id, e, Ct)));
        var ids = started.Select(s => s.ExecutionId).ToArray();
        foreach (var id in ids)
        {
            Assert.Equal(ExecutionStatus.Failed, (await host.WaitAsync(id, Ct)).Status);
        }

        await using var session = await BrowserSession.OpenAsync(chromium, host.Address);
        await session.RunAsync(async page =>
        {
            await SignInAsync(page, SandboxAccounts.AdminUserName, SandboxAccounts.AdminPassword, "/hyopps/");
            await page.GetByTestId("nav-overview").ClickAsync();

            var failing = page.Locator($"tr[data-testid=failing-step][data-step=\"{AddUserToAtlassianGroup}\"]");
            await Expect(failing).ToHaveAttributeAsync("data-count", Failures.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await Expect(failing).ToContainTextAsync("lacks permission");
            await Expect(page.Locator($"td[data-workflow=\"{NewPartnerUser}\"][data-status=Failed]")).ToHaveAttributeAsync("data-count", $"{Failures}");
            await Expect(page.GetByTestId("starts-chart")).ToHaveAttributeAsync("data-total", $"{Failures}");
            await Expect(page.Locator("svg[data-testid=starts-chart] title#hd-chart-title")).ToHaveCountAsync(1);
            await Expect(page.GetByTestId("retention-total")).ToBeVisibleAsync();
            await BrowserArtifacts.SaveScreenshotAsync(page, "overview");

            // The search box finds one onboarding by its email label.
            await page.GetByTestId("search-input").FillAsync(emails[0]);
            await page.GetByTestId("search-button").ClickAsync();
            await Expect(page.GetByTestId("execution-count")).ToHaveAttributeAsync("data-total", "1");
            await Expect(page.Locator($"tr[data-execution-id=\"{ids[0]}\"]")).ToHaveCountAsync(1);
            await page.GoBackAsync();

            // Click one: the preview names the count; click two: the confirmed retry, then its progress and result.
            await failing.GetByTestId("failing-retry-link").ClickAsync();
            await Expect(page.GetByTestId("bulk-preview")).ToHaveAttributeAsync("data-matched", $"{Failures}");
            await Expect(page.GetByTestId("bulk-apply-button")).ToHaveTextAsync($"Apply to {Failures} execution(s)");
            host.Sandbox.Atlassian.Faults.Clear();
            await page.GetByTestId("bulk-reason").FillAsync("Atlassian permission granted");
            await page.GetByTestId("bulk-confirm").CheckAsync();
            await page.GetByTestId("bulk-apply-button").ClickAsync();

            var result = page.GetByTestId("bulk-result");
            await Expect(result).ToHaveAttributeAsync("data-applied", $"{Failures}");
            await Expect(result).ToHaveAttributeAsync("data-skipped", "0");
            await BrowserArtifacts.SaveScreenshotAsync(page, "overview-bulk-result");
        });

        foreach (var id in ids)
        {
            var done = await host.WaitAsync(id, Ct);
            Assert.Equal(ExecutionStatus.Succeeded, done.Status);
            Assert.Contains(done.Audit, a => a.Action == "bulk_retry" && a.Actor == "admin:admin" && a.Reason == "Atlassian permission granted");
        }
    }
}
