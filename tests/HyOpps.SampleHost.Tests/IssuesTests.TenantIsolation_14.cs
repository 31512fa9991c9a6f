using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HyOpps.SampleHost.Api;
using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Sandbox;
using HyOpps.SampleHost.Workflows;
using HyOpps.TestUtilities;
using HyOpps.Testing.Simulation;
using HyOpps.Testing.Steps;
using HyOpps.Workflows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static HyOpps.SampleHost.Tests.PagesTests;
using static HyOpps.SampleHost.Tests.SampleTestHost;
using static HyOpps.SampleHost.Tests.SecurityTests;

namespace HyOpps.SampleHost.Tests;

/// <summary>Issue 14: the attacker's requests of scenarios 1 (the host's part) to 8, each now refused with nothing written.</summary>
public sealed class IssuesTests_TenantIsolation_14
{
    // Scenario 1 (the host's part): org B's partner admin cannot take in org A's user, so B has nothing of Alice's to remove.
    [Fact]
    public async Task Scenario1_OrgBAddsOrgAsActiveUser_RefusedNamingNoOtherOrgAndNothingChanges()
    {
        await using var host = await StartAsync();
        using var admin = host.Admin();
        var orgA = await host.DemoOrgAsync();
        var orgB = await host.CreateOrgAsync("Org B");
        var alice = await host.AddUserAsync(admin, orgA.Id, "alice@partner.example", "Alice", "Anders");
        Assert.Equal(ExecutionStatus.Succeeded, (await host.WaitAsync(alice.ExecutionId)).Status);
        using var partnerB = host.WithKey(await host.PartnerAdminKeyAsync(orgB.Id, "partner-b"));
        var before = await HostState.CaptureAsync(host);

        // B's partner admin, whose org has no allowed domains: refused on the email.
        using var outsideDomain = await partnerB.PostAsJsonAsync("/api/users", new { email = "alice@partner.example", first_name = "A", last_name = "A" }, Ct);
        var outsideBody = await outsideDomain.Content.ReadAsStringAsync(Ct);

        // Even when B's domains include A's (or an admin adds her to B): 409, naming neither A nor anything of A's.
        await SetAllowedDomainsAsync(host, orgB.Id, "partner.example");
        before = await HostState.CaptureAsync(host);
        using var taken = await partnerB.PostAsJsonAsync("/api/users", new { email = " ALICE@partner.example", first_name = "A", last_name = "A" }, Ct);
        using var takenByAdmin = await admin.PostAsJsonAsync("/api/users", new { org_id = orgB.Id, email = "alice@partner.example", first_name = "A", last_name = "A" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, outsideDomain.StatusCode);
        Assert.Equal(["email"], Errors(outsideBody));
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, takenByAdmin.StatusCode);
        foreach (var body in new[] { outsideBody, await taken.Content.ReadAsStringAsync(Ct), await takenByAdmin.Content.ReadAsStringAsync(Ct) })
        {
            foreach (var secret in new[] { orgA.Id, orgA.Name, alice.User.Id, alice.ExecutionId })
            {
                Assert.DoesNotContain(secret, body, StringComparison.OrdinalIgnoreCase);
            }
        }

        Assert.Contains("another organisation", await taken.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(before, await HostState.CaptureAsync(host));
        Assert.Null(await host.Services.GetRequiredService<PartnerUserStore>().FindAsync(orgB.Id, "alice@partner.example", Ct));
    }

    [Fact]
    public async Task AllowedDomains_PartnerAdminAddsOnlyInTheirDomains_AdminAddsAny()
    {
        await using var host = await StartAsync();
        using var admin = host.Admin();
        using var partner = host.WithKey(SandboxAccounts.PartnerAdminApiKey);
        var demo = await host.DemoOrgAsync();
        Assert.Equal([SandboxAccounts.DemoEmailDomain], demo.AllowedEmailDomains);

        using var outside = await partner.PostAsJsonAsync("/api/users", new { email = "mallory@elsewhere.example", first_name = "M", last_name = "M" }, Ct);
        using var subdomain = await partner.PostAsJsonAsync("/api/users", new { email = "mallory@evil.partner.example", first_name = "M", last_name = "M" }, Ct);
        var inside = await host.AddUserAsync(partner, demo.Id, "Grace@Partner.Example", "Grace", "Hopper");
        var byAdmin = await host.AddUserAsync(admin, demo.Id, "consultant@elsewhere.example", "Con", "Sultant");

        Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
        Assert.Equal(["email"], Errors(await outside.Content.ReadAsStringAsync(Ct)));
        Assert.Contains("partner.example", await outside.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, subdomain.StatusCode);
        Assert.Equal(demo.Id, inside.User.OrgId);
        Assert.Equal(demo.Id, byAdmin.User.OrgId);

        // Admins set the domains through the API: normalised, checked, named per entry when wrong.
        var org = await host.CreateOrgAsync("Initech");
        var set = await SetAllowedDomainsAsync(host, org.Id, " Initech.Example ", "initech.example", "sub.initech.example");
        Assert.Equal(["initech.example", "sub.initech.example"], set.AllowedEmailDomains);
        using var bad = await admin.PutAsJsonAsync($"/api/orgs/{org.Id}", new { name = "Initech", allowed_email_domains = new[] { "ok.example", "@initech.example", "*.initech.example" } }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["allowed_email_domains[1]", "allowed_email_domains[2]"], Errors(await bad.Content.ReadAsStringAsync(Ct)));
        using var partnerPut = await partner.PutAsJsonAsync($"/api/orgs/{demo.Id}", new { name = demo.Name, allowed_email_domains = new[] { "elsewhere.example" } }, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, partnerPut.StatusCode);
    }

    // Scenario 2: B adding an email A is onboarding used to fail naming A's execution; now the host refuses it first and says nothing of A.
    [Fact]
    public async Task Scenario2_OrgBAddsAnEmailOrgAIsOnboarding_409WithoutAsExecutionAndBsDashboardShowsNothing()
    {
        await using var host = await StartAsync();
        using var admin = host.Admin();
        var orgA = await host.DemoOrgAsync();
        var orgB = await host.CreateOrgAsync("Org B");
        await SetAllowedDomainsAsync(host, orgB.Id, "partner.example");
        host.Sandbox.Atlassian.Faults.Add(
            SimulatedFault.Status(403, """{"errorMessages":["You do not have permission to browse users."]}""", "application/json"),
            times: 1, method: "GET", pathPrefix: "/rest/api/3/user/search");
        var a = await host.AddUserAsync(admin, orgA.Id, "linus@partner.example", "Linus", "Torvalds");
        Assert.Equal(ExecutionStatus.Failed, (await host.WaitAsync(a.ExecutionId)).Status);
        var partnerBKey = await host.PartnerAdminKeyAsync(orgB.Id, "partner-b");
        using var partnerB = host.WithKey(partnerBKey);
        var before = await HostState.CaptureAsync(host);

        using var response = await partnerB.PostAsJsonAsync("/api/users", new { email = "linus@partner.example", first_name = "L", last_name = "T" }, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        using var dashboardClient = host.WithKey(partnerBKey);
        dashboardClient.DefaultRequestHeaders.Accept.Clear();
        var dashboard = await dashboardClient.GetStringAsync("/hyopps/", Ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.DoesNotContain(a.ExecutionId, body, StringComparison.Ordinal);
        Assert.DoesNotContain(orgA.Id, body, StringComparison.Ordinal);
        Assert.DoesNotContain(orgA.Name, body, StringComparison.Ordinal);
        Assert.DoesNotContain(a.ExecutionId, dashboard, StringComparison.Ordinal);
        Assert.Equal(before, await HostState.CaptureAsync(host));

        // A's onboarding was not blocked: retried, it completes.
        using var retried = await admin.PostAsJsonAsync($"/api/executions/{a.ExecutionId}/retry", new { }, Ct);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(ExecutionStatus.Succeeded, (await host.WaitAsync(a.ExecutionId)).Status);
    }

    [Fact]
    public async Task Scenario2_ValidateStep_LooksAtAndNamesOnlyItsOwnOrgsOnboardings()
    {
        await using var host = await StartAsync();
        var orgs = host.Services.GetRequiredService<OrgStore>();
        var orgA = (await orgs.GetAsync((await host.DemoOrgAsync()).Id, Ct))!;
        var orgB = (await orgs.GetAsync((await host.CreateOrgAsync("Org B")).Id, Ct))!;

        // The runtime holds one onboarding of the email under way, in org A; the step sees only what its label query matches.
        var underWayInA = new ExecutionSummary
        {
            Id = "execution-of-org-a",
            WorkflowName = PartnerWorkflowNames.NewPartnerUser,
            WorkflowVersion = 1,
            Status = ExecutionStatus.Running,
            Labels = PartnerUserService.Labels(orgA.Id, "shared@partner.example"),
            CreatedAt = DateTimeOffset.UnixEpoch,
            UpdatedAt = DateTimeOffset.UnixEpoch,
        };
        var (runtime, queries) = ListOnlyWorkflowClient.Holding(underWayInA);
        ValueTask<StepResult> ValidateAsync(Domain.OrgRecord org)
            => new ValidatePartnerUserStep(orgs, runtime).ExecuteAsync(new TestStepContext(new HyOpps.Onboarding.PartnerOnboardingInput
            {
                Org = org.ToPartnerOrg(),
                User = new HyOpps.Onboarding.PartnerUser { Email = "Shared@partner.example", FirstName = "Shared", LastName = "Person" },
            }, host.Services, PartnerWorkflowNames.ValidatePartnerUser), Ct);

        var inB = await ValidateAsync(orgB);
        var inA = await Assert.ThrowsAsync<StepException>(async () => await ValidateAsync(orgA));

        Assert.Equal(StepOutcome.Succeeded, inB.Outcome);
        Assert.Contains("execution-of-org-a", inA.Message, StringComparison.Ordinal);
        Assert.NotEmpty(queries);
        Assert.All(queries, q => Assert.True(q.Labels.ContainsKey(PartnerWorkflowNames.OrgLabel)));
    }

    // Scenario 3: open redirect, 500 on a crafted ReturnUrl, no lockout, a cookie that outlives sign-out.
    [Theory]
    [InlineData("/\t/evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("https://evil.example/")]
    [InlineData("/orgs\r\nSet-Cookie: x=y")]
    [InlineData("/orgs\n")]
    [InlineData("/café")]
    [InlineData("javascript:alert(1)")]
    public async Task Scenario3_SignIn_CraftedReturnUrl_GoesHomeNever500(string returnUrl)
    {
        await using var host = await StartAsync();
        var client = host.Anonymous();
        client.DefaultRequestHeaders.Accept.Clear();
        var cookies = new CookieJar();

        var page = await Send(client, cookies, HttpMethod.Get, "/account/login?ReturnUrl=" + Uri.EscapeDataString(returnUrl), null);
        var token = AntiforgeryField().Match(await page.Content.ReadAsStringAsync(Ct)).Groups["value"].Value;
        var signedIn = await Send(client, cookies, HttpMethod.Post, "/account/login", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["UserName"] = SandboxAccounts.AdminUserName, ["Password"] = SandboxAccounts.AdminPassword, ["ReturnUrl"] = returnUrl,
        });

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/", signedIn.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Scenario3_SignIn_LocalReturnUrl_IsKept()
    {
        await using var host = await StartAsync();
        var org = await host.DemoOrgAsync();
        var (client, cookies) = (host.Anonymous(), new CookieJar());
        client.DefaultRequestHeaders.Accept.Clear();
        var token = AntiforgeryField().Match(await (await Send(client, cookies, HttpMethod.Get, "/account/login", null)).Content.ReadAsStringAsync(Ct)).Groups["value"].Value;

        var signedIn = await Send(client, cookies, HttpMethod.Post, "/account/login", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["UserName"] = SandboxAccounts.AdminUserName, ["Password"] = SandboxAccounts.AdminPassword,
            ["ReturnUrl"] = $"/orgs/{org.Id}?tab=users",
        });

        Assert.Equal($"/orgs/{org.Id}?tab=users", signedIn.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Scenario3_WrongPasswords_LockTheAccountPersistently_429WithRetryAfter_UntilTheLockoutEnds()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        await using var host = await StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(time));
        var client = host.Anonymous();
        client.DefaultRequestHeaders.Accept.Clear();
        var cookies = new CookieJar();
        var token = AntiforgeryField().Match(await (await Send(client, cookies, HttpMethod.Get, "/account/login", null)).Content.ReadAsStringAsync(Ct)).Groups["value"].Value;
        Dictionary<string, string> Form(string password) => new()
        {
            ["__RequestVerificationToken"] = token, ["UserName"] = SandboxAccounts.PartnerAdminUserName, ["Password"] = password,
        };

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add((await Send(client, cookies, HttpMethod.Post, "/account/login", Form("wrong-" + i))).StatusCode);
        }

        var rightButLocked = await Send(client, cookies, HttpMethod.Post, "/account/login", Form(SandboxAccounts.PartnerAdminPassword));
        var account = await host.Services.GetRequiredService<AccountStore>().FindByUserNameAsync(SandboxAccounts.PartnerAdminUserName, Ct);

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, (HttpStatusCode)429], answers);
        Assert.Equal((HttpStatusCode)429, rightButLocked.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(15), rightButLocked.Headers.RetryAfter?.Delta);
        Assert.False(cookies.Has("hyopps.auth"));
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromMinutes(15), account!.LockedOutUntil);

        time.Advance(TimeSpan.FromMinutes(10));
        var stillLocked = await Send(client, cookies, HttpMethod.Post, "/account/login", Form(SandboxAccounts.PartnerAdminPassword));
        Assert.Equal((HttpStatusCode)429, stillLocked.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(5), stillLocked.Headers.RetryAfter?.Delta);

        time.Advance(TimeSpan.FromMinutes(5));
        var signedIn = await Send(client, cookies, HttpMethod.Post, "/account/login", Form(SandboxAccounts.PartnerAdminPassword));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Null((await host.Services.GetRequiredService<AccountStore>().FindByUserNameAsync(SandboxAccounts.PartnerAdminUserName, Ct))!.LockedOutUntil);
    }

    [Fact]
    public async Task Scenario3_ManyAttemptsFromOneAddress_AreRateLimitedWithRetryAfter()
    {
        await using var host = await StartAsync(settings: new Dictionary<string, string?>
        {
            ["HyOpps:SignIn:PermitsPerAddress"] = "5",
            ["HyOpps:SignIn:Window"] = "01:00:00",
        });
        var client = host.Anonymous();
        client.DefaultRequestHeaders.Accept.Clear();
        var cookies = new CookieJar();
        var token = AntiforgeryField().Match(await (await Send(client, cookies, HttpMethod.Get, "/account/login", null)).Content.ReadAsStringAsync(Ct)).Groups["value"].Value;

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 6; i++)
        {
            // A different user name each time: only the per-address limit applies.
            answers.Add(await Send(client, cookies, HttpMethod.Post, "/account/login", new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token, ["UserName"] = "guess-" + i, ["Password"] = "wrong",
            }));
        }

        Assert.All(answers.Take(5), a => Assert.Equal(HttpStatusCode.Unauthorized, a.StatusCode));
        Assert.Equal((HttpStatusCode)429, answers[5].StatusCode);
        Assert.NotNull(answers[5].Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Scenario3_ManyAttemptsOnOneAccount_AreRateLimitedWhileOthersSignIn()
    {
        await using var host = await StartAsync(settings: new Dictionary<string, string?>
        {
            ["HyOpps:SignIn:PermitsPerAccount"] = "3",
            ["HyOpps:SignIn:MaxFailedSignIns"] = "100",
            ["HyOpps:SignIn:Window"] = "01:00:00",
        });
        var client = host.Anonymous();
        client.DefaultRequestHeaders.Accept.Clear();
        var cookies = new CookieJar();
        var token = AntiforgeryField().Match(await (await Send(client, cookies, HttpMethod.Get, "/account/login", null)).Content.ReadAsStringAsync(Ct)).Groups["value"].Value;
        Dictionary<string, string> Form(string user, string password) => new() { ["__RequestVerificationToken"] = token, ["UserName"] = user, ["Password"] = password };

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            answers.Add((await Send(client, cookies, HttpMethod.Post, "/account/login", Form("Partner", "wrong"))).StatusCode);
        }

        var limited = await Send(client, cookies, HttpMethod.Post, "/account/login", Form("partner", SandboxAccounts.PartnerAdminPassword));
        var other = await Send(client, cookies, HttpMethod.Post, "/account/login", Form(SandboxAccounts.AdminUserName, SandboxAccounts.AdminPassword));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Unauthorized, a));
        Assert.Equal((HttpStatusCode)429, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.Redirect, other.StatusCode);
    }

    [Fact]
    public async Task Scenario3_CookieSavedBeforeSignOut_NoLongerWorks()
    {
        await using var host = await StartAsync();
        var (client, cookies) = await SignInAsync(host, SandboxAccounts.PartnerAdminUserName, SandboxAccounts.PartnerAdminPassword);
        var stolen = cookies.Copy();
        Assert.Equal(HttpStatusCode.OK, (await Send(client, stolen, HttpMethod.Get, "/api/me", null)).StatusCode);
        var home = await (await Send(client, cookies, HttpMethod.Get, "/", null)).Content.ReadAsStringAsync(Ct);
        var token = AntiforgeryField().Match(home).Groups["value"].Value;

        var signedOut = await Send(client, cookies, HttpMethod.Post, "/account/logout", new Dictionary<string, string> { ["__RequestVerificationToken"] = token });

        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(client, stolen, HttpMethod.Get, "/api/me", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await Send(client, stolen.Copy(), HttpMethod.Get, "/orgs", null)).StatusCode);
    }

    [Fact]
    public async Task Scenario3_PasswordChange_EndsOtherSessions_KeepsTheChangersOwn()
    {
        await using var host = await StartAsync();
        var (client, browser) = await SignInAsync(host, SandboxAccounts.PartnerAdminUserName, SandboxAccounts.PartnerAdminPassword);
        var (_, otherDevice) = await SignInAsync(host, SandboxAccounts.PartnerAdminUserName, SandboxAccounts.PartnerAdminPassword);
        var oldBrowserCookie = browser.Copy();
        var csrf = await AntiforgeryHeaderAsync(client, browser);

        using var wrongCurrent = new HttpRequestMessage(HttpMethod.Post, "/api/account/password") { Content = JsonContent.Create(new { current_password = "nope", new_password = "a-brand-new-password" }) };
        wrongCurrent.Headers.Add("X-CSRF-TOKEN", csrf);
        var refused = await Send(client, browser, wrongCurrent);
        using var change = new HttpRequestMessage(HttpMethod.Post, "/api/account/password")
        {
            Content = JsonContent.Create(new { current_password = SandboxAccounts.PartnerAdminPassword, new_password = "a-brand-new-password" }),
        };
        change.Headers.Add("X-CSRF-TOKEN", csrf);
        var changed = await Send(client, browser, change);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(["current_password"], Errors(await refused.Content.ReadAsStringAsync(Ct)));
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(client, otherDevice, HttpMethod.Get, "/api/me", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(client, oldBrowserCookie, HttpMethod.Get, "/api/me", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send(client, browser, HttpMethod.Get, "/api/me", null)).StatusCode);
        await SignInAsync(host, SandboxAccounts.PartnerAdminUserName, "a-brand-new-password");
    }

    [Fact]
    public async Task Scenario3_AccountRemoved_ItsSessionsAndKeysStopWorking()
    {
        await using var host = await StartAsync();
        var (client, cookies) = await SignInAsync(host, SandboxAccounts.PartnerAdminUserName, SandboxAccounts.PartnerAdminPassword);
        using var admin = host.Admin();
        var account = await host.Services.GetRequiredService<AccountStore>().FindByUserNameAsync(SandboxAccounts.PartnerAdminUserName, Ct);
        var self = await host.Services.GetRequiredService<AccountStore>().FindByUserNameAsync(SandboxAccounts.AdminUserName, Ct);

        using var removed = await admin.DeleteAsync($"/api/accounts/{account!.Id}", Ct);
        using var removeSelf = await admin.DeleteAsync($"/api/accounts/{self!.Id}", Ct);

        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, removeSelf.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(client, cookies, HttpMethod.Get, "/api/me", null)).StatusCode);
        using var key = host.WithKey(SandboxAccounts.PartnerAdminApiKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await key.GetAsync("/api/me", Ct)).StatusCode);
    }

    // Scenario 4: a cookie-authenticated POST from another site (form content type, foreign Origin) re-queued an execution.
    [Fact]
    public async Task Scenario4_CookieApiCallWithoutAntiforgeryHeader_IsRefusedAndChangesNothing()
    {
        await using var host = await StartAsync();
        var org = await host.DemoOrgAsync();
        using var admin = host.Admin();
        host.Sandbox.Atlassian.Faults.Add(
            SimulatedFault.Status(403, """{"errorMessages":["You do not have permission to browse users."]}""", "application/json"),
            times: 1, method: "GET", pathPrefix: "/rest/api/3/user/search");
        var started = await host.AddUserAsync(admin, org.Id, "linus@partner.example", "Linus", "Torvalds");
        Assert.Equal(ExecutionStatus.Failed, (await host.WaitAsync(started.ExecutionId)).Status);

        // The failure's notice to the operators is sent after the execution settles: waited for, so that it is not taken for a change.
        await Eventually.UntilAsync(
            () => Task.FromResult(host.Sandbox.Smtp.Messages.Where(m => m.EnvelopeRecipients.Contains(SampleHostApp.SandboxOperatorsEmail)).ToArray()),
            m => m.Length >= 1,
            "the failure notice to the operators");
        var (client, cookies) = await SignInAsync(host, SandboxAccounts.AdminUserName, SandboxAccounts.AdminPassword);
        var before = await HostState.CaptureAsync(host);

        using var forged = new HttpRequestMessage(HttpMethod.Post, $"/api/executions/{started.ExecutionId}/retry")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["reason"] = "csrf" }),
        };
        forged.Headers.Add("Origin", "https://evil.example");
        var refused = await Send(client, cookies, forged);
        using var jsonWithoutToken = new HttpRequestMessage(HttpMethod.Post, $"/api/executions/{started.ExecutionId}/retry") { Content = JsonContent.Create(new { }) };
        var refusedJson = await Send(client, cookies, jsonWithoutToken);
        using var addWithoutToken = new HttpRequestMessage(HttpMethod.Post, "/api/users")
        {
            Content = JsonContent.Create(new { org_id = org.Id, email = "eve@partner.example", first_name = "Eve", last_name = "E" }),
        };
        var refusedAdd = await Send(client, cookies, addWithoutToken);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, refusedJson.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, refusedAdd.StatusCode);
        Assert.Contains("X-CSRF-TOKEN", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(before, await HostState.CaptureAsync(host));

        // The same browser with the token from GET /api/account/antiforgery may act.
        using var withToken = new HttpRequestMessage(HttpMethod.Post, $"/api/executions/{started.ExecutionId}/retry") { Content = JsonContent.Create(new { }) };
        withToken.Headers.Add("X-CSRF-TOKEN", await AntiforgeryHeaderAsync(client, cookies));
        Assert.Equal(HttpStatusCode.OK, (await Send(client, cookies, withToken)).StatusCode);
        Assert.Equal(ExecutionStatus.Succeeded, (await host.WaitAsync(started.ExecutionId)).Status);
    }

    // Scenario 5: pages without CSP or nosniff that could be framed; API answers without nosniff.
    [Fact]
    public async Task Scenario5_EveryPage_SendsScriptFreeCspNoFramingNosniffAndReferrerPolicy_ApiSendsNosniff()
    {
        await using var host = await StartAsync();
        using var admin = host.Admin();
        var org = await host.DemoOrgAsync();
        var user = await host.AddUserAsync(admin, org.Id, "ada@partner.example");
        await host.WaitAsync(user.ExecutionId);
        var (client, cookies) = await SignInAsync(host, SandboxAccounts.AdminUserName, SandboxAccounts.AdminPassword);
        var anonymous = host.Anonymous();
        anonymous.DefaultRequestHeaders.Accept.Clear();

        var pages = new List<HttpResponseMessage> { await anonymous.GetAsync("/account/login", Ct) };
        foreach (var path in new[] { "/", "/orgs", $"/orgs/{org.Id}", "/users", "/orgs/new", $"/orgs/{org.Id}/edit", $"/users/{user.User.Id}/edit", $"/users/{user.User.Id}/remove", "/hyopps/", $"/hyopps/executions/{user.ExecutionId}", "/account/denied", "/orgs/unknown-org" })
        {
            pages.Add(await Send(client, cookies, HttpMethod.Get, path, null));
        }

        foreach (var page in pages)
        {
            var what = page.RequestMessage!.RequestUri!.PathAndQuery;
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            var csp = string.Join(' ', page.Headers.GetValues("Content-Security-Policy"));
            Assert.True(csp.Contains("script-src 'none'", StringComparison.Ordinal) && csp.Contains("frame-ancestors 'none'", StringComparison.Ordinal), what + ": " + csp);
            Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
            Assert.Equal("nosniff", string.Join(',', page.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("DENY", string.Join(',', page.Headers.GetValues("X-Frame-Options")));
            Assert.Equal("same-origin", string.Join(',', page.Headers.GetValues("Referrer-Policy")));
            var html = await page.Content.ReadAsStringAsync(Ct);
            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(" style=", html, StringComparison.OrdinalIgnoreCase);
        }

        var css = await anonymous.GetAsync("/site.css", Ct);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        foreach (var api in new[] { await admin.GetAsync("/api/orgs", Ct), await admin.GetAsync("/api/no-such-thing", Ct), await anonymous.GetAsync("/api/orgs", Ct) })
        {
            Assert.Equal("nosniff", string.Join(',', api.Headers.GetValues("X-Content-Type-Options")));
        }
    }

    // Scenario 6: documentation URLs with CR/LF/NUL reached the email's text part raw.
    [Theory]
    [InlineData("https://docs.example.com/a\r\nBcc: all@example.com")]
    [InlineData("https://docs.example.com/a\nx")]
    [InlineData("https://docs.example.com/a\0")]
    [InlineData("javascript:alert(1)")]
    [InlineData("ftp://docs.example.com/")]
    [InlineData("/relative/path")]
    public async Task Scenario6_DocumentationUrl_Unsafe_RefusedNamingTheLinkAndNothingWritten(string url)
    {
        await using var host = await StartAsync();
        using var admin = host.Admin();
        var before = await HostState.CaptureAsync(host);

        using var response = await admin.PostAsJsonAsync("/api/orgs", new { name = "Leaky", documentation_links = new[] { new { title = "Handbook", url } } }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["documentation_links[0].url"], Errors(await response.Content.ReadAsStringAsync(Ct)));
        Assert.Equal(before, await HostState.CaptureAsync(host));
    }

    [Fact]
    public async Task Scenario6_DocumentationUrl_TooLongOrControlCharactersInTheOrgForm_Refused()
    {
        await using var host = await StartAsync();
        using var admin = host.Admin();
        var tooLong = "https://docs.example.com/" + new string('a', 2000);

        using var response = await admin.PostAsJsonAsync("/api/orgs", new { name = "Long", documentation_links = new[] { new { title = "Handbook", url = tooLong } } }, Ct);
        var (client, cookies) = await SignInAsync(host, SandboxAccounts.AdminUserName, SandboxAccounts.AdminPassword);
        var token = AntiforgeryField().Match(await (await Send(client, cookies, HttpMethod.Get, "/orgs/new", null)).Content.ReadAsStringAsync(Ct)).Groups["value"].Value;
        var form = await Send(client, cookies, HttpMethod.Post, "/orgs", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Name"] = "Form org", ["Active"] = "true",
            ["DocumentationLinks"] = "Handbook | https://docs.example.com/a\rb",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["documentation_links[0].url"], Errors(await response.Content.ReadAsStringAsync(Ct)));
        var formBody = await form.Content.ReadAsStringAsync(Ct);
        Assert.True(form.StatusCode == HttpStatusCode.BadRequest && formBody.Contains("control characters", StringComparison.Ordinal), formBody);
        Assert.Null(await host.Services.GetRequiredService<OrgStore>().FindByNameAsync("Form org", Ct));
    }

    // Scenario 7: strings as numbers, duplicate keys, a query value that does not bind, a wrong content type.
    [Theory]
    [InlineData("""{"name":"Numbers","metabase_group_id":"7"}""", "metabase_group_id")]
    [InlineData("""{"name":"A","Name":"B"}""", "Name")]
    [InlineData("""{"name":"A","name":"B"}""", "name")]
    public async Task Scenario7_OrgBody_StringNumberOrDuplicateKey_RefusedNamingTheProperty(string json, string field)
    {
        await using var host = await StartAsync();
        using var admin = host.Admin();
        var before = await HostState.CaptureAsync(host);

        using var response = await admin.PostAsync("/api/orgs", new StringContent(json, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([field], Errors(await response.Content.ReadAsStringAsync(Ct)), StringComparer.OrdinalIgnoreCase);
        Assert.Equal(before, await HostState.CaptureAsync(host));
    }

    [Fact]
    public async Task Scenario7_RerunStepNumberAsString_RefusedAndNothingRuns()
    {
        await using var host = await StartAsync();
        using var admin = host.Admin();
        var org = await host.DemoOrgAsync();
        var user = await host.AddUserAsync(admin, org.Id, "ada@partner.example");
        await host.WaitAsync(user.ExecutionId);
        var before = await HostState.CaptureAsync(host);

        using var response = await admin.PostAsync($"/api/executions/{user.ExecutionId}/rerun", new StringContent("""{"step_number":"9"}""", Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["step_number"], Errors(await response.Content.ReadAsStringAsync(Ct)));
        Assert.Equal(before, await HostState.CaptureAsync(host));
    }

    [Fact]
    public async Task Scenario7_QueryValueThatDoesNotBind_NamesTheParameter_WrongContentTypeAnswers415()
    {
        await using var host = await StartAsync();
        using var admin = host.Admin();
        var before = await HostState.CaptureAsync(host);

        using var limit = await admin.GetAsync("/api/executions?limit=abc", Ct);
        using var offset = await admin.GetAsync("/api/executions?offset=x", Ct);
        using var text = await admin.PostAsync("/api/users", new StringContent("""{"email":"ada@partner.example"}""", Encoding.UTF8, "text/plain"), Ct);
        using var form = await admin.PostAsync("/api/orgs", new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "Form" }), Ct);
        using var unknown = await admin.PostAsync("/api/no-such-endpoint", new StringContent("x", Encoding.UTF8, "text/plain"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, limit.StatusCode);
        Assert.Equal(["limit"], Errors(await limit.Content.ReadAsStringAsync(Ct)));
        Assert.Contains("abc", await limit.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(["offset"], Errors(await offset.Content.ReadAsStringAsync(Ct)));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(before, await HostState.CaptureAsync(host));
    }

    private static async Task<OrgResponse> SetAllowedDomainsAsync(SampleTestHost host, string orgId, params string[] domains)
    {
        using var admin = host.Admin();
        var org = (await admin.GetFromJsonAsync<OrgResponse>($"/api/orgs/{orgId}", Json, Ct))!;
        using var response = await admin.PutAsJsonAsync($"/api/orgs/{orgId}", new
        {
            name = org.Name,
            metabase_group_id = org.MetabaseGroupId,
            teams_team_id = org.TeamsTeamId,
            teams_channel_id = org.TeamsChannelId,
            slack_user_group_id = org.SlackUserGroupId,
            slack_channel_id = org.SlackChannelId,
            atlassian_group_id = org.AtlassianGroupId,
            documentation_links = org.DocumentationLinks.Select(l => new { title = l.Title, url = l.Url }),
            allowed_email_domains = domains,
        }, Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<OrgResponse>(Json, Ct))!;
    }

    private static async Task<string> AntiforgeryHeaderAsync(HttpClient client, CookieJar cookies)
    {
        var answer = await Send(client, cookies, HttpMethod.Get, "/api/account/antiforgery", null);
        var body = await answer.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("X-CSRF-TOKEN", body.GetProperty("header_name").GetString());
        return body.GetProperty("token").GetString()!;
    }

    private static string[] Errors(string problem)
        => [.. JsonDocument.Parse(problem).RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name)];

    /// <summary>A runtime that answers only ListAsync, from executions it holds, filtered by the query's labels as the store does.</summary>
    public class ListOnlyWorkflowClient : System.Reflection.DispatchProxy
    {
        private ExecutionSummary[] _held = [];

        public List<ExecutionQuery> Queries { get; } = [];

        public static (IWorkflowClient Client, List<ExecutionQuery> Queries) Holding(params ExecutionSummary[] held)
        {
            var client = Create<IWorkflowClient, ListOnlyWorkflowClient>();
            var proxy = (ListOnlyWorkflowClient)(object)client;
            proxy._held = held;
            return (client, proxy.Queries);
        }

        protected override object? Invoke(System.Reflection.MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod?.Name != nameof(IWorkflowClient.ListAsync) || args?[0] is not ExecutionQuery query)
            {
                throw new NotSupportedException(targetMethod?.Name);
            }

            Queries.Add(query);
            var items = _held.Where(e => query.Labels.All(l => e.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).ToList();
            return Task.FromResult(new ExecutionList(items, items.Count));
        }
    }
}
