using HyOpps.Dashboard.BrowserTests.Host;
using HyOpps.Integrations.Metabase;
using HyOpps.Testing.Simulation;
using HyOpps.TestUtilities.Browser;
using HyOpps.Workflows;
using static HyOpps.Dashboard.BrowserTests.Ui;
using static Microsoft.Playwright.Assertions;

namespace HyOpps.Dashboard.BrowserTests;

/// <summary>An admin finds failed onboardings from the list, previews a bulk retry (count and first rows), confirms it naming the count, and sees the result.</summary>
public sealed class BulkBrowserTests(ChromiumFixture chromium, OnboardingHostFixture fixture)
    : IClassFixture<ChromiumFixture>, IClassFixture<OnboardingHostFixture>
{
    private OnboardingBrowserHost Host => fixture.Host;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BulkRetry_FromTheList_PreviewThenConfirmation_RetriesEveryFailedRun()
    {
        Host.Metabase.Faults.Add(SimulatedFault.Status(403, "You don't have permissions to do that."), times: 3, method: "POST", pathPrefix: "/api/permissions/membership");
        var failed = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var run = await Host.RunOnboardingAsync(Host.OrgA, NewEmail($"bulk{i}"), Ct);
            Assert.Equal(ExecutionStatus.Failed, run.Status);
            failed.Add(run.Id);
        }

        var fine = await Host.RunOnboardingAsync(Host.OrgA, NewEmail("fine"), Ct);
        Assert.Equal(ExecutionStatus.Succeeded, fine.Status);

        await using var session = await BrowserSession.OpenAsync(chromium, Host.Address, javaScriptEnabled: false);
        await session.RunAsync(async page =>
        {
            await SignInAsync(page, TestUser.Admin, OnboardingBrowserHost.DashboardPrefix + "/?status=Failed");
            await page.GetByTestId("bulk-link").ClickAsync();
            await page.GetByTestId("bulk-step").FillAsync(AddUserToMetabaseGroupStep.Id);
            await page.GetByTestId("bulk-preview-button").ClickAsync();

            var preview = page.GetByTestId("bulk-preview");
            await Expect(preview).ToHaveAttributeAsync("data-matched", "3");
            await Expect(page.GetByTestId("bulk-sample").Locator("tr[data-execution-id]")).ToHaveCountAsync(3);
            await Expect(page.Locator($"tr[data-execution-id='{fine.Id}']")).ToHaveCountAsync(0);
            await Expect(preview).ToContainTextAsync("I understand that this will retry the failed step of 3 execution(s).");
            await Expect(page.GetByTestId("bulk-apply-button")).ToHaveTextAsync("Apply to 3 execution(s)");
            await AssertNoHorizontalScrollAsync(page);
            await BrowserArtifacts.SaveScreenshotAsync(page, "bulk-preview");

            // The confirmation box is required: submitting without it stays on the preview and changes nothing.
            var previewUrl = page.Url;
            await page.GetByTestId("bulk-apply-button").ClickAsync();
            Assert.Equal(previewUrl, page.Url);
            Assert.Equal(ExecutionStatus.Failed, (await Host.Workflows.GetAsync(failed[0], Ct))!.Status);

            await page.GetByTestId("bulk-reason").FillAsync("Metabase permission restored");
            await page.GetByTestId("bulk-confirm").CheckAsync();
            await page.GetByTestId("bulk-apply-button").ClickAsync();

            var result = page.GetByTestId("bulk-result");
            await Expect(result).ToHaveAttributeAsync("data-applied", "3");
            await Expect(result).ToHaveAttributeAsync("data-skipped", "0");
            await Expect(page.GetByTestId("flash")).ToContainTextAsync("3 of 3 execution(s)");
            await BrowserArtifacts.SaveScreenshotAsync(page, "bulk-result");
        });

        foreach (var id in failed)
        {
            var done = await Host.Workflows.WaitForCompletionAsync(id, Ct);
            Assert.Equal(ExecutionStatus.Succeeded, done.Status);
            Assert.Contains(done.Audit, a => a.Action == "bulk_retry" && a.Actor == "admin" && a.Reason == "Metabase permission restored");
        }
    }
}
