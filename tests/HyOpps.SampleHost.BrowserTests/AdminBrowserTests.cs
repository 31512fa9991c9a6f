using System.Text.RegularExpressions;
using HyOpps.SampleHost.BrowserTests.Host;
using HyOpps.SampleHost.Sandbox;
using HyOpps.Testing.Simulation;
using HyOpps.TestUtilities.Browser;
using Microsoft.Playwright;
using static HyOpps.SampleHost.BrowserTests.Ui;
using static HyOpps.SampleHost.Workflows.PartnerWorkflowNames;
using static Microsoft.Playwright.Assertions;

namespace HyOpps.SampleHost.BrowserTests;

/// <summary>The sandbox admin drives the sample host's own pages and its dashboard at /hyopps; each test on its own host.</summary>
public sealed class AdminBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AddUser_FromOrgPage_ExecutionCompletesStep4ShowsGroupAndUserGetsMetabaseBadge()
    {
        await using var host = await SampleHostInstance.StartAsync(Ct);
        var email = NewEmail("jane");
        await using var session = await BrowserSession.OpenAsync(chromium, host.Address);
        await session.RunAsync(async page =>
        {
            await SignInAsync(page, SandboxAccounts.AdminUserName, SandboxAccounts.AdminPassword);
            await Expect(page.GetByTestId("signed-in-as")).ToHaveAttributeAsync("data-role", "admin");

            // Orgs list, then the demo org: its integration ids and documentation links.
            await page.GetByTestId("nav-orgs").ClickAsync();
            await OrgRow(page, SandboxAccounts.DemoOrgName).GetByTestId("org-link").ClickAsync();
            await Expect(page.GetByTestId("page-title")).ToHaveTextAsync(SandboxAccounts.DemoOrgName);
            var orgUrl = page.Url;
            await Expect(OrgField(page, "metabase_group_id")).ToHaveTextAsync(new Regex(@"^\d+$"));
            var groupId = await OrgField(page, "metabase_group_id").TextContentAsync();
            foreach (var field in new[] { "teams_team_id", "teams_channel_id", "slack_user_group_id", "slack_channel_id", "atlassian_group_id" })
            {
                await Expect(OrgField(page, field)).Not.ToHaveTextAsync("—");
            }

            var links = page.GetByTestId("documentation-link");
            await Expect(links).ToHaveCountAsync(2);
            await Expect(links.First).ToHaveTextAsync("Partner handbook");
            await Expect(links.First).ToHaveAttributeAsync("href", "https://docs.example.com/partners/handbook");
            await Expect(page.GetByTestId("no-users")).ToBeVisibleAsync();

            // The form starts the onboarding; the new user's row links to its execution.
            await AddUserAsync(page, email, "Jane", "Doe");
            var row = UserRow(page, email);
            await Expect(row).ToHaveCountAsync(1);
            await Expect(row.GetByTestId("user-status")).ToHaveTextAsync(new Regex("^(onboarding|active)$"));
            await row.GetByTestId("execution-link").ClickAsync();
            await Expect(page).ToHaveURLAsync(ExecutionUrl());
            await Expect(page.Locator("h1")).ToContainTextAsync(NewPartnerUser);

            // The page reloads itself while the run is under way.
            await WaitForExecutionAsync(page, "Succeeded");
            await Expect(page.Locator("li[data-step-id]")).ToHaveCountAsync(10); // The flow's ten steps, the host's complete_partner_user last.
            await Expect(page.Locator("li[data-step-id]:not([data-step-status='Succeeded'])")).ToHaveCountAsync(0);
            await Expect(Step(page, AddUserToMetabaseGroup).Locator(".hd-step-number")).ToHaveTextAsync("4.");

            var step4 = await OpenOutputAsync(page, AddUserToMetabaseGroup);
            await Expect(step4).ToContainTextAsync($"\"metabase_group_id\": {groupId}");
            await Expect(step4).ToContainTextAsync("\"verified\": true");
            var step3 = await OpenOutputAsync(page, CreateMetabaseAccount);
            var metabaseUserId = MetabaseUserId().Match(await step3.TextContentAsync() ?? string.Empty).Groups[1].Value;
            Assert.NotEmpty(metabaseUserId);

            // Back in the host's pages, the user carries the metabase_user_id badge.
            await page.GetByTestId("back-link").ClickAsync();
            await page.GetByTestId("nav-orgs").ClickAsync();
            await OrgRow(page, SandboxAccounts.DemoOrgName).GetByTestId("org-link").ClickAsync();
            await Expect(page).ToHaveURLAsync(orgUrl);
            await Expect(row.GetByTestId("user-status")).ToHaveTextAsync("active");
            await Expect(row.GetByTestId("metabase-badge")).ToHaveTextAsync($"Metabase #{metabaseUserId}");
            await Expect(row.GetByTestId("metabase-badge")).ToHaveAttributeAsync("data-metabase-user-id", metabaseUserId);
            await Expect(row.GetByTestId("metabase-badge")).ToHaveAttributeAsync("title", "metabase_user_id");
        });
    }

    [Fact]
    public async Task AddUser_MetabaseRefusesGroupMembership_StepFailsThenRetrySucceeds()
    {
        await using var host = await SampleHostInstance.StartAsync(Ct);
        var email = NewEmail("retry");

        // Refuses until cleared, so the failure stays put however long the browser takes.
        host.Sandbox.Metabase.Faults.Add(
            SimulatedFault.Status(403, "You don't have permissions to do that."),
            times: 1000,
            method: "POST",
            pathPrefix: "/api/permissions/membership");
        await using var session = await BrowserSession.OpenAsync(chromium, host.Address);
        await session.RunAsync(async page =>
        {
            var org = await host.DemoOrgAsync(Ct);
            await SignInAsync(page, SandboxAccounts.AdminUserName, SandboxAccounts.AdminPassword, $"/orgs/{org.Id}");
            await AddUserAsync(page, email);
            await UserRow(page, email).GetByTestId("execution-link").ClickAsync();

            await WaitForExecutionAsync(page, "Failed");
            var step = Step(page, AddUserToMetabaseGroup);
            await Expect(step).ToHaveAttributeAsync("data-step-status", "Failed");
            await Expect(step.GetByTestId("step-error")).ToContainTextAsync("403");
            await Expect(step.Locator("tr[data-run='1'][data-outcome='Failed']").First).ToBeVisibleAsync();
            await Expect(Step(page, CreateMetabaseAccount)).ToHaveAttributeAsync("data-step-status", "Succeeded");
            await Expect(Step(page, InviteToTeams)).ToHaveAttributeAsync("data-step-status", "Pending");
            await Expect(page.GetByTestId("auto-refresh")).ToHaveCountAsync(0);

            host.Sandbox.Metabase.Faults.Clear();
            await step.GetByTestId("retry-reason").FillAsync("Metabase permission fixed");
            await step.GetByTestId("retry-button").ClickAsync();
            await Expect(page.GetByTestId("flash")).ToBeVisibleAsync();

            await WaitForExecutionAsync(page, "Succeeded");
            await Expect(step).ToHaveAttributeAsync("data-step-status", "Succeeded");
            await Expect(step).ToHaveAttributeAsync("data-step-run", "2");
            await Expect(step.Locator("tr[data-attempt][data-outcome='Succeeded']")).ToHaveCountAsync(1);
            await Expect(Step(page, ShareDocumentation)).ToHaveAttributeAsync("data-step-status", "Succeeded");
            var audit = page.Locator("tr[data-action='retry'][data-actor='admin:admin']");
            await Expect(audit.GetByTestId("audit-reason")).ToHaveTextAsync("Metabase permission fixed");
        });
    }

    [Fact]
    public async Task RerunFromStep4_AfterConfirmation_NewAttemptAndExecutionCompletesAgain()
    {
        await using var host = await SampleHostInstance.StartAsync(Ct);
        var org = await host.DemoOrgAsync(Ct);
        var (started, _) = await host.OnboardAsync(org.Id, NewEmail("rerun"), Ct);
        await using var session = await BrowserSession.OpenAsync(chromium, host.Address);
        await session.RunAsync(async page =>
        {
            await SignInAsync(page, SandboxAccounts.AdminUserName, SandboxAccounts.AdminPassword, ExecutionPath(started.ExecutionId));
            await Expect(Execution(page)).ToHaveAttributeAsync("data-status", "Succeeded");
            var step = Step(page, AddUserToMetabaseGroup);
            await Expect(step.Locator("tr[data-attempt]")).ToHaveCountAsync(1);
            await step.GetByTestId("rerun-link").ClickAsync();

            // Without the confirmation box ticked the form does not go.
            var confirmUrl = page.Url;
            await page.GetByTestId("rerun-button").ClickAsync();
            Assert.Equal(confirmUrl, page.Url);
            await page.GetByTestId("rerun-reason").FillAsync("check the group again");
            await page.GetByTestId("rerun-confirm").CheckAsync();
            await page.GetByTestId("rerun-button").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(ExecutionPath(started.ExecutionId)) + @"(\?|$)"));
            await Expect(page.GetByTestId("flash")).ToBeVisibleAsync();

            await WaitForExecutionAsync(page, "Succeeded");
            await Expect(step).ToHaveAttributeAsync("data-step-run", "2");
            await Expect(step.Locator("tr[data-run='2'][data-outcome='Succeeded']")).ToHaveCountAsync(1);
            await Expect(step.Locator("tr[data-run='1'][data-outcome='Succeeded']")).ToHaveCountAsync(1);
            await Expect(Step(page, ShareDocumentation)).ToHaveAttributeAsync("data-step-run", "2");
            await Expect(Step(page, CreateMetabaseAccount)).ToHaveAttributeAsync("data-step-run", "1");
            await Expect(page.Locator("tr[data-action='rerun_from'][data-actor='admin:admin']")).ToHaveCountAsync(1);
        });
    }

    [Fact]
    public async Task RemoveUser_RequiresTheConfirmationBox_ThenRemovePartnerUserExecutionCompletes()
    {
        await using var host = await SampleHostInstance.StartAsync(Ct);
        var org = await host.DemoOrgAsync(Ct);
        var email = NewEmail("leaver");
        var (started, _) = await host.OnboardAsync(org.Id, email, Ct);
        await using var session = await BrowserSession.OpenAsync(chromium, host.Address);
        await session.RunAsync(async page =>
        {
            await SignInAsync(page, SandboxAccounts.AdminUserName, SandboxAccounts.AdminPassword, $"/orgs/{org.Id}");
            var row = UserRow(page, email);
            await Expect(row.GetByTestId("user-status")).ToHaveTextAsync("active");
            await Expect(row.GetByTestId("execution-link")).ToHaveAttributeAsync("href", ExecutionPath(started.ExecutionId));

            // Remove asks first: the box must be ticked (the browser will not send the form without it, and the server checks too).
            await row.GetByTestId("remove-user").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex($"/users/{Regex.Escape(started.User.Id)}/remove$"));
            await Expect(page.GetByTestId("user-email")).ToHaveTextAsync(email);
            var confirmUrl = page.Url;
            await page.GetByTestId("remove-button").ClickAsync();
            Assert.Equal(confirmUrl, page.Url);
            await page.GetByTestId("remove-confirm").EvaluateAsync("box => box.required = false");
            await page.GetByTestId("remove-button").ClickAsync();
            await Expect(page.GetByTestId("form-errors")).ToContainTextAsync("Tick the box to confirm the removal");
            await Expect(page.GetByTestId("remove-confirm")).Not.ToBeCheckedAsync();
            var user = await host.GetUserAsync(started.User.Id, Ct);
            Assert.Equal("active", user.Status);
            Assert.Null(user.OffboardingExecutionId);

            await page.GetByTestId("remove-confirm").CheckAsync();
            await page.GetByTestId("remove-button").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex($"/orgs/{Regex.Escape(org.Id)}$"));
            await Expect(row.GetByTestId("user-status")).ToHaveTextAsync(new Regex("^(offboarding|removed)$"));
            await Expect(row.GetByTestId("remove-user")).ToHaveCountAsync(0);
            await Expect(row.GetByTestId("execution-link")).Not.ToHaveAttributeAsync("href", ExecutionPath(started.ExecutionId));

            await row.GetByTestId("execution-link").ClickAsync();
            await Expect(page.Locator("h1")).ToContainTextAsync(RemovePartnerUser);
            await WaitForExecutionAsync(page, "Succeeded");
            await Expect(Step(page, MarkPartnerUserRemoved)).ToHaveAttributeAsync("data-step-status", "Succeeded");
            await Expect(page.Locator("li[data-step-id]:not([data-step-status='Succeeded'])")).ToHaveCountAsync(0);

            await page.GotoAsync($"/orgs/{org.Id}");
            await Expect(row.GetByTestId("user-status")).ToHaveTextAsync("removed");
        });
    }

    [Fact]
    public async Task CreateOrg_ThroughTheForm_ThenEditItsDocumentationLinks_OrgPageShowsThem()
    {
        await using var host = await SampleHostInstance.StartAsync(Ct);
        var name = $"Initech {Guid.NewGuid():N}"[..20];
        await using var session = await BrowserSession.OpenAsync(chromium, host.Address);
        await session.RunAsync(async page =>
        {
            await SignInAsync(page, SandboxAccounts.AdminUserName, SandboxAccounts.AdminPassword, "/orgs");
            await page.GetByTestId("new-org").ClickAsync();
            await Expect(page.GetByTestId("page-title")).ToHaveTextAsync("Create an org");
            await Expect(page.GetByTestId("org-active")).ToBeCheckedAsync();

            // A bad id and a bad link: the form comes back naming both fields, as typed.
            await page.GetByTestId("org-name").FillAsync(name);
            await page.GetByTestId("org-metabase_group_id").FillAsync("forty-two");
            await page.GetByTestId("org-slack_user_group_id").FillAsync("S0INITECH");
            await page.GetByTestId("org-documentation-links").FillAsync("Handbook | https://docs.example.com/initech\nnot a link");
            await page.GetByTestId("save-org").ClickAsync();
            var errors = page.GetByTestId("form-errors");
            await Expect(errors.Locator("li[data-field=metabase_group_id]")).ToContainTextAsync("Metabase group id");
            await Expect(errors.Locator("li[data-field=documentation_links]")).ToContainTextAsync("Line 2");
            await Expect(page.GetByTestId("org-name")).ToHaveValueAsync(name);

            await page.GetByTestId("org-metabase_group_id").FillAsync("42");
            await page.GetByTestId("org-documentation-links").FillAsync("Handbook | https://docs.example.com/initech");
            await page.GetByTestId("save-org").ClickAsync();
            await Expect(page.GetByTestId("page-title")).ToHaveTextAsync(name);
            await Expect(OrgField(page, "metabase_group_id")).ToHaveTextAsync("42");
            await Expect(OrgField(page, "slack_user_group_id")).ToHaveTextAsync("S0INITECH");
            await Expect(OrgField(page, "teams_team_id")).ToHaveTextAsync("—");
            var links = page.GetByTestId("documentation-link");
            await Expect(links).ToHaveCountAsync(1);
            await Expect(links).ToHaveTextAsync("Handbook");
            var orgUrl = page.Url;

            // Edit: the links come back one per line; replace one and add one.
            await page.GetByTestId("edit-org").ClickAsync();
            var text = page.GetByTestId("org-documentation-links");
            await Expect(text).ToHaveValueAsync("Handbook | https://docs.example.com/initech");
            await text.FillAsync("Runbook | https://docs.example.com/initech/runbook\nTPS reports | https://docs.example.com/initech/tps?cover=yes&v=2");
            await page.GetByTestId("save-org").ClickAsync();
            await Expect(page).ToHaveURLAsync(orgUrl);
            await Expect(links).ToHaveCountAsync(2);
            await Expect(links.Nth(0)).ToHaveTextAsync("Runbook");
            await Expect(links.Nth(0)).ToHaveAttributeAsync("href", "https://docs.example.com/initech/runbook");
            await Expect(links.Nth(1)).ToHaveTextAsync("TPS reports");
            await Expect(links.Nth(1)).ToHaveAttributeAsync("href", "https://docs.example.com/initech/tps?cover=yes&v=2");

            // The orgs list has it too.
            await page.GetByTestId("nav-orgs").ClickAsync();
            await Expect(OrgRow(page, name)).ToHaveCountAsync(1);
        });
    }

    [Fact]
    public async Task ExecutionDetail_Screenshot_IsSavedAsArtifact()
    {
        await using var host = await SampleHostInstance.StartAsync(Ct);
        var org = await host.DemoOrgAsync(Ct);
        var (started, _) = await host.OnboardAsync(org.Id, NewEmail("pictured"), Ct);
        await using var session = await BrowserSession.OpenAsync(chromium, host.Address);
        await session.RunAsync(async page =>
        {
            await SignInAsync(page, SandboxAccounts.AdminUserName, SandboxAccounts.AdminPassword, ExecutionPath(started.ExecutionId));
            await Expect(Execution(page)).ToHaveAttributeAsync("data-status", "Succeeded");
            await OpenOutputAsync(page, AddUserToMetabaseGroup);

            var path = await BrowserArtifacts.SaveScreenshotAsync(page, "sample-host-execution-detail");

            var file = new FileInfo(path);
            Assert.True(file.Exists, $"No screenshot at {path}.");
            Assert.True(file.Length > 1000, $"The screenshot {path} has {file.Length} bytes.");
            var header = new byte[8];
            await using (var stream = file.OpenRead())
            {
                await stream.ReadExactlyAsync(header, Ct);
            }

            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, header);
        });
    }

    [Fact]
    public async Task AddUser_WithJavaScriptOff_FormStillStartsOnboardingAndPageRefreshesToSucceeded()
    {
        await using var host = await SampleHostInstance.StartAsync(Ct);
        var email = NewEmail("nojs");
        await using var session = await BrowserSession.OpenAsync(chromium, host.Address, javaScriptEnabled: false);
        await session.RunAsync(async page =>
        {
            var org = await host.DemoOrgAsync(Ct);
            await SignInAsync(page, SandboxAccounts.AdminUserName, SandboxAccounts.AdminPassword, $"/orgs/{org.Id}");
            await AddUserAsync(page, email, "No", "Script");
            await UserRow(page, email).GetByTestId("execution-link").ClickAsync();
            await WaitForExecutionAsync(page, "Succeeded");

            await page.GotoAsync($"/orgs/{org.Id}");
            await Expect(UserRow(page, email).GetByTestId("metabase-badge")).ToBeVisibleAsync();
        });
    }
}
