using HyOpps.SampleHost.BrowserTests.Host;
using HyOpps.SampleHost.Sandbox;
using HyOpps.TestUtilities.Browser;
using static HyOpps.SampleHost.BrowserTests.Ui;
using static HyOpps.SampleHost.Workflows.PartnerWorkflowNames;
using static Microsoft.Playwright.Assertions;

namespace HyOpps.SampleHost.BrowserTests;

/// <summary>The sandbox's partner admin (of "Demo Partner") sees their org only, in the host's pages and in the dashboard.</summary>
public sealed class PartnerAdminBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PartnerAdmin_SeesOnlyOwnOrgUsersExecutionsAndDocs_OtherOrgAnswers404()
    {
        await using var host = await SampleHostInstance.StartAsync(Ct);
        var ours = await host.DemoOrgAsync(Ct);
        var theirs = await host.CreateOrgAsync("Globex Other", Ct);
        var ourEmail = NewEmail("ours");
        var theirEmail = NewEmail("theirs");
        var (ourUser, _) = await host.OnboardAsync(ours.Id, ourEmail, Ct);
        var (theirUser, _) = await host.OnboardAsync(theirs.Id, theirEmail, Ct);

        await using var session = await BrowserSession.OpenAsync(chromium, host.Address);
        await session.RunAsync(async page =>
        {
            await SignInAsync(page, SandboxAccounts.PartnerAdminUserName, SandboxAccounts.PartnerAdminPassword);
            await Expect(page.GetByTestId("signed-in-as")).ToHaveAttributeAsync("data-role", "partner_admin");

            // Orgs: only theirs.
            await page.GetByTestId("nav-orgs").ClickAsync();
            await Expect(page.Locator("[data-testid=orgs-table] tr[data-org-id]")).ToHaveCountAsync(1);
            await Expect(page.Locator($"tr[data-org-id=\"{ours.Id}\"]")).ToHaveCountAsync(1);
            await Expect(page.Locator("body")).Not.ToContainTextAsync(theirs.Name);

            // Users: only their org's.
            await page.GetByTestId("nav-users").ClickAsync();
            await Expect(page.Locator("[data-testid=users-table] tr[data-user-id]")).ToHaveCountAsync(1);
            await Expect(UserRow(page, ourEmail).GetByTestId("metabase-badge")).ToBeVisibleAsync();
            await Expect(page.Locator("body")).Not.ToContainTextAsync(theirEmail);

            // Their org page: documentation links to read, no way to edit the org or its links.
            await page.GotoAsync($"/orgs/{ours.Id}");
            var links = page.GetByTestId("documentation-link");
            await Expect(links).ToHaveCountAsync(2);
            await Expect(links.Nth(1)).ToHaveTextAsync("Dashboards guide");
            await Expect(page.Locator("[data-testid=documentation-links] :is(form, input, textarea, button)")).ToHaveCountAsync(0);
            await Expect(page.Locator("[data-testid=org-ids] :is(form, input, textarea, button)")).ToHaveCountAsync(0);
            await Expect(page.Locator($"form[action=\"/orgs/{ours.Id}\"], form[action^=\"/api/\"]")).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("edit-org")).ToHaveCountAsync(0);
            var editResponse = await page.GotoAsync($"/orgs/{ours.Id}/edit");
            Assert.Equal(403, editResponse!.Status);
            await Expect(page.GetByTestId("org-form")).ToHaveCountAsync(0);

            // Another org's page and execution are not there for them.
            var orgResponse = await page.GotoAsync($"/orgs/{theirs.Id}");
            Assert.Equal(404, orgResponse!.Status);
            await Expect(page.Locator("body")).Not.ToContainTextAsync(theirs.Name);
            var executionResponse = await page.GotoAsync(ExecutionPath(theirUser.ExecutionId));
            Assert.Equal(404, executionResponse!.Status);
            await Expect(page.Locator("body")).Not.ToContainTextAsync(theirEmail);

            // Executions: only their org's, with full step detail.
            await page.GotoAsync("/hyopps");
            var rows = page.Locator("tr[data-execution-id]");
            await Expect(rows).ToHaveCountAsync(1);
            await Expect(rows).ToHaveAttributeAsync("data-execution-id", ourUser.ExecutionId);
            await rows.GetByTestId("execution-link").ClickAsync();
            await Expect(Execution(page)).ToHaveAttributeAsync("data-status", "Succeeded");
            var output = await OpenOutputAsync(page, AddUserToMetabaseGroup);
            await Expect(output).ToContainTextAsync($"\"metabase_group_id\": {ours.MetabaseGroupId}");

            // The host lets partner admins operate their own org's executions (CanOperate: any signed-in account; the API agrees),
            // so the re-run links are there; the scope above is what keeps them to their org.
            await Expect(Step(page, AddUserToMetabaseGroup).GetByTestId("rerun-link")).ToBeVisibleAsync();
        });
    }
}
