using System.Net;
using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Domain;
using HyOpps.SampleHost.Sandbox;
using HyOpps.SampleHost.Workflows;
using HyOpps.Workflows;
using Microsoft.Extensions.DependencyInjection;
using static HyOpps.SampleHost.Tests.PagesTests;
using static HyOpps.SampleHost.Tests.SampleTestHost;
using static HyOpps.SampleHost.Tests.SecurityTests;

namespace HyOpps.SampleHost.Tests;

/// <summary>The create and edit org pages, the edit user page and the remove confirmation, through cookie sign-in and real forms.</summary>
public sealed class FormPagesTests
{
    [Fact]
    public async Task CreateOrg_Admin_CreatesTheOrgWithIdsAndLinksShownOnItsPage()
    {
        await using var host = await StartAsync();
        var (client, cookies) = await SignInAsync(host, SandboxAccounts.AdminUserName, SandboxAccounts.AdminPassword);
        var token = await TokenAsync(client, cookies, "/orgs/new");

        var created = await Send(client, cookies, HttpMethod.Post, "/orgs", OrgFields(token, "Globex & <Sons>", links: "Handbook | https://docs.example.com/globex\n\n  Guide | v2 | https://docs.example.com/guide?a=1&b=2  \n"));

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var org = (await host.Services.GetRequiredService<OrgStore>().FindByNameAsync("Globex & <Sons>", Ct))!;
        Assert.Equal($"/orgs/{org.Id}", created.Headers.Location?.OriginalString);
        Assert.True(org.Active);
        Assert.Equal(17, org.MetabaseGroupId);
        Assert.Equal("team-1", org.TeamsTeamId);
        Assert.Equal("channel-1", org.TeamsChannelId);
        Assert.Equal("S01", org.SlackUserGroupId);
        Assert.Equal("C01", org.SlackChannelId);
        Assert.Equal("atl-1", org.AtlassianGroupId);
        Assert.Equal(["Handbook", "Guide | v2"], org.DocumentationLinks.Select(l => l.Title));
        Assert.Equal("https://docs.example.com/guide?a=1&b=2", org.DocumentationLinks[1].Url);

        var page = await GetPageAsync(client, cookies, $"/orgs/{org.Id}");
        Assert.Contains("Globex &amp; &lt;Sons&gt;", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<Sons>", page, StringComparison.Ordinal);
        Assert.Contains("href=\"https://docs.example.com/guide?a=1&amp;b=2\"", page, StringComparison.Ordinal);
        Assert.Contains(">Guide | v2</a>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateOrg_BadInput_RerendersTheFormNamingEachFieldAndWritesNothing()
    {
        await using var host = await StartAsync();
        var orgs = host.Services.GetRequiredService<OrgStore>();
        var before = (await orgs.ListAsync(null, Ct)).Count;
        var (client, cookies) = await SignInAsync(host, SandboxAccounts.AdminUserName, SandboxAccounts.AdminPassword);
        var token = await TokenAsync(client, cookies, "/orgs/new");
        var fields = OrgFields(token, "<b>Bad</b>", links: "Handbook | https://docs.example.com/ok\njust some words\nScript | javascript:alert(1)");
        fields["MetabaseGroupId"] = "twelve";
        fields["TeamsTeamId"] = string.Empty;

        var bad = await Send(client, cookies, HttpMethod.Post, "/orgs", fields);

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var page = await bad.Content.ReadAsStringAsync(Ct);
        Assert.Contains("data-testid=\"form-errors\"", page, StringComparison.Ordinal);
        Assert.Contains("<li data-field=\"metabase_group_id\"><strong>Metabase group id</strong>: &#x27;twelve&#x27; is not a positive whole number.</li>", page, StringComparison.Ordinal);
        Assert.Contains("<strong>Teams channel id</strong>: A Teams channel needs its team", page, StringComparison.Ordinal);
        Assert.Contains("<strong>Documentation links</strong>: Line 2: &#x27;just some words&#x27; is not of the form", page, StringComparison.Ordinal);
        Assert.Contains("<strong>Documentation links, line 3 (URL)</strong>: &#x27;javascript:alert(1)&#x27; is not an absolute http or https URL.", page, StringComparison.Ordinal);

        // The form comes back as typed, encoded.
        Assert.Contains("value=\"&lt;b&gt;Bad&lt;/b&gt;\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>Bad</b>", page, StringComparison.Ordinal);
        Assert.Contains("value=\"twelve\"", page, StringComparison.Ordinal);
        Assert.Contains("just some words", page, StringComparison.Ordinal);
        Assert.Equal(before, (await orgs.ListAsync(null, Ct)).Count);

        var empty = await Send(client, cookies, HttpMethod.Post, "/orgs", OrgFields(token, "  "));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("<li data-field=\"name\"><strong>Name</strong>: The name is required.</li>", await empty.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(before, (await orgs.ListAsync(null, Ct)).Count);
    }

    [Fact]
    public async Task CreateOrg_NameTaken_Answers409NamingTheName()
    {
        await using var host = await StartAsync();
        var (client, cookies) = await SignInAsync(host, SandboxAccounts.AdminUserName, SandboxAccounts.AdminPassword);
        var token = await TokenAsync(client, cookies, "/orgs/new");

        var taken = await Send(client, cookies, HttpMethod.Post, "/orgs", OrgFields(token, SandboxAccounts.DemoOrgName.ToUpperInvariant()));

        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Contains("<li data-field=\"name\"><strong>Name</strong>: An org named", await taken.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrgForms_WithoutAntiforgeryToken_Answer400AndWriteNothing()
    {
        await using var host = await StartAsync();
        var orgs = host.Services.GetRequiredService<OrgStore>();
        var demo = await host.DemoOrgAsync();
        var (client, cookies) = await SignInAsync(host, SandboxAccounts.AdminUserName, SandboxAccounts.AdminPassword);
        await TokenAsync(client, cookies, "/orgs/new");

        var create = await Send(client, cookies, HttpMethod.Post, "/orgs", OrgFields(null, "No token"));
        var edit = await Send(client, cookies, HttpMethod.Post, $"/orgs/{demo.Id}/edit", OrgFields(null, "Renamed without token"));
        var forged = await Send(client, cookies, HttpMethod.Post, "/orgs", OrgFields("forged-token", "Forged token"));

        Assert.Equal(HttpStatusCode.BadRequest, create.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, edit.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Null(await orgs.FindByNameAsync("No token", Ct));
        Assert.Null(await orgs.FindByNameAsync("Forged token", Ct));
        Assert.Equal(SandboxAccounts.DemoOrgName, (await orgs.GetAsync(demo.Id, Ct))!.Name);
    }

    [Fact]
    public async Task EditOrg_Admin_FormIsPrefilledAndSavesIdsAndDocumentationLinks()
    {
        await using var host = await StartAsync();
        var orgs = host.Services.GetRequiredService<OrgStore>();
        var demo = await host.DemoOrgAsync();
        var (client, cookies) = await SignInAsync(host, SandboxAccounts.AdminUserName, SandboxAccounts.AdminPassword);
        var orgPage = await GetPageAsync(client, cookies, $"/orgs/{demo.Id}");
        Assert.Contains($"href=\"/orgs/{demo.Id}/edit\" data-testid=\"edit-org\"", orgPage, StringComparison.Ordinal);

        var form = await GetPageAsync(client, cookies, $"/orgs/{demo.Id}/edit");
        Assert.Contains($"value=\"{demo.MetabaseGroupId}\"", form, StringComparison.Ordinal);
        Assert.Contains("Partner handbook | https://docs.example.com/partners/handbook", form, StringComparison.Ordinal);
        Assert.Contains("name=\"Active\" value=\"true\" checked", form, StringComparison.Ordinal);
        var token = AntiforgeryField().Match(form).Groups["value"].Value;

        var fields = OrgFields(token, "Demo Partner Renamed", links: "Runbook | https://docs.example.com/runbook");
        fields["MetabaseGroupId"] = demo.MetabaseGroupId!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        fields.Remove("Active");
        var saved = await Send(client, cookies, HttpMethod.Post, $"/orgs/{demo.Id}/edit", fields);

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal($"/orgs/{demo.Id}", saved.Headers.Location?.OriginalString);
        var org = (await orgs.GetAsync(demo.Id, Ct))!;
        Assert.Equal("Demo Partner Renamed", org.Name);
        Assert.False(org.Active);
        Assert.Equal("S01", org.SlackUserGroupId);
        var link = Assert.Single(org.DocumentationLinks);
        Assert.Equal(("Runbook", "https://docs.example.com/runbook"), (link.Title, link.Url));
        var page = await GetPageAsync(client, cookies, $"/orgs/{demo.Id}");
        Assert.Contains(">Runbook</a>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Partner handbook", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditOrg_BadInputOrUnknownOrg_WritesNothing()
    {
        await using var host = await StartAsync();
        var orgs = host.Services.GetRequiredService<OrgStore>();
        var demo = await host.DemoOrgAsync();
        var (client, cookies) = await SignInAsync(host, SandboxAccounts.AdminUserName, SandboxAccounts.AdminPassword);
        var token = await TokenAsync(client, cookies, $"/orgs/{demo.Id}/edit");
        var tooMany = string.Join('\n', Enumerable.Range(1, InputRules.MaxDocumentationLinks + 1).Select(i => $"Link {i} | https://docs.example.com/{i}"));

        var bad = await Send(client, cookies, HttpMethod.Post, $"/orgs/{demo.Id}/edit", OrgFields(token, "Demo Partner", links: tooMany));
        var unknown = await Send(client, cookies, HttpMethod.Post, "/orgs/00000000000000000000000000000000/edit", OrgFields(token, "Ghost"));
        var unknownForm = await Send(client, cookies, HttpMethod.Get, "/orgs/00000000000000000000000000000000/edit", null);

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains($"<strong>Documentation links</strong>: At most {InputRules.MaxDocumentationLinks} documentation links.", await bad.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownForm.StatusCode);
        var org = (await orgs.GetAsync(demo.Id, Ct))!;
        Assert.Equal(demo.DocumentationLinks, org.DocumentationLinks);
        Assert.Equal(demo.UpdatedAt, org.UpdatedAt);
        Assert.Null(await orgs.FindByNameAsync("Ghost", Ct));
    }

    [Fact]
    public async Task OrgForms_PartnerAdmin_AreDeniedAndHidden()
    {
        await using var host = await StartAsync();
        var orgs = host.Services.GetRequiredService<OrgStore>();
        var demo = await host.DemoOrgAsync();
        var (client, cookies) = await SignInAsync(host, SandboxAccounts.PartnerAdminUserName, SandboxAccounts.PartnerAdminPassword);
        var orgPage = await GetPageAsync(client, cookies, $"/orgs/{demo.Id}");
        var token = AntiforgeryField().Match(orgPage).Groups["value"].Value;

        Assert.DoesNotContain("/edit\" data-testid=\"edit-org\"", orgPage, StringComparison.Ordinal);
        Assert.DoesNotContain("/orgs/new", await GetPageAsync(client, cookies, "/orgs"), StringComparison.Ordinal);
        foreach (var (method, path, form) in new (HttpMethod, string, Dictionary<string, string>?)[]
        {
            (HttpMethod.Get, "/orgs/new", null),
            (HttpMethod.Post, "/orgs", OrgFields(token, "Partner made")),
            (HttpMethod.Get, $"/orgs/{demo.Id}/edit", null),
            (HttpMethod.Post, $"/orgs/{demo.Id}/edit", OrgFields(token, "Partner renamed")),
        })
        {
            var response = await Send(client, cookies, method, path, form);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{method} {path}: {(int)response.StatusCode}");
            Assert.Contains("/account/denied?", response.Headers.Location?.OriginalString, StringComparison.Ordinal);
        }

        Assert.Null(await orgs.FindByNameAsync("Partner made", Ct));
        Assert.Equal(SandboxAccounts.DemoOrgName, (await orgs.GetAsync(demo.Id, Ct))!.Name);
    }

    [Fact]
    public async Task EditUser_PartnerAdmin_EditsOwnOrgUserOnlyAndBadInputNamesTheField()
    {
        await using var host = await StartAsync();
        var users = host.Services.GetRequiredService<PartnerUserStore>();
        var demo = await host.DemoOrgAsync();
        var other = await host.CreateOrgAsync("Org B");
        using var admin = host.Admin();
        var ours = await host.AddUserAsync(admin, demo.Id, "ada@partner.example");
        var theirs = await host.AddUserAsync(admin, other.Id, "bob@org-b.example", "Bob", "Berg");
        var (client, cookies) = await SignInAsync(host, SandboxAccounts.PartnerAdminUserName, SandboxAccounts.PartnerAdminPassword);

        var orgPage = await GetPageAsync(client, cookies, $"/orgs/{demo.Id}");
        Assert.Contains($"href=\"/users/{ours.User.Id}/edit\" data-testid=\"edit-user\"", orgPage, StringComparison.Ordinal);
        var form = await GetPageAsync(client, cookies, $"/users/{ours.User.Id}/edit");
        Assert.Contains("value=\"Ada\"", form, StringComparison.Ordinal);
        Assert.Contains("ada@partner.example", form, StringComparison.Ordinal);
        var token = AntiforgeryField().Match(form).Groups["value"].Value;

        var bad = await Send(client, cookies, HttpMethod.Post, $"/users/{ours.User.Id}/edit", new() { ["__RequestVerificationToken"] = token, ["FirstName"] = "<i>Ada</i>", ["LastName"] = " " });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var badPage = await bad.Content.ReadAsStringAsync(Ct);
        Assert.Contains("<li data-field=\"last_name\"><strong>Last name</strong>: The last name is required.</li>", badPage, StringComparison.Ordinal);
        Assert.Contains("value=\"&lt;i&gt;Ada&lt;/i&gt;\"", badPage, StringComparison.Ordinal);
        Assert.DoesNotContain("<i>Ada</i>", badPage, StringComparison.Ordinal);
        Assert.Equal("Lovelace", (await users.GetAsync(ours.User.Id, Ct))!.LastName);

        var noToken = await Send(client, cookies, HttpMethod.Post, $"/users/{ours.User.Id}/edit", new() { ["FirstName"] = "Augusta", ["LastName"] = "King" });
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.Equal("Ada", (await users.GetAsync(ours.User.Id, Ct))!.FirstName);

        var saved = await Send(client, cookies, HttpMethod.Post, $"/users/{ours.User.Id}/edit", new() { ["__RequestVerificationToken"] = token, ["FirstName"] = " Augusta ", ["LastName"] = "King" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal($"/orgs/{demo.Id}", saved.Headers.Location?.OriginalString);
        var edited = (await users.GetAsync(ours.User.Id, Ct))!;
        Assert.Equal(("Augusta", "King", "ada@partner.example"), (edited.FirstName, edited.LastName, edited.Email));

        // Another org's user answers exactly like an unknown one, and stays as it was.
        var theirForm = await Send(client, cookies, HttpMethod.Get, $"/users/{theirs.User.Id}/edit", null);
        var theirPost = await Send(client, cookies, HttpMethod.Post, $"/users/{theirs.User.Id}/edit", new() { ["__RequestVerificationToken"] = token, ["FirstName"] = "Hacked", ["LastName"] = "Hacked" });
        var unknownPost = await Send(client, cookies, HttpMethod.Post, "/users/00000000000000000000000000000000/edit", new() { ["__RequestVerificationToken"] = token, ["FirstName"] = "Hacked", ["LastName"] = "Hacked" });
        Assert.Equal(HttpStatusCode.NotFound, theirForm.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, theirPost.StatusCode);
        var theirPage = await theirPost.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("bob@org-b.example", theirPage, StringComparison.Ordinal);
        Assert.Equal(Normalise(await unknownPost.Content.ReadAsStringAsync(Ct)), Normalise(theirPage));
        Assert.Equal("Bob", (await users.GetAsync(theirs.User.Id, Ct))!.FirstName);
    }

    [Fact]
    public async Task RemoveUser_WithoutConfirmation_Answers400AndStartsNothing_WithConfirmationStartsRemoval()
    {
        await using var host = await StartAsync();
        var users = host.Services.GetRequiredService<PartnerUserStore>();
        var demo = await host.DemoOrgAsync();
        using var admin = host.Admin();
        var added = await host.AddUserAsync(admin, demo.Id, "leaver@partner.example");
        Assert.Equal(ExecutionStatus.Succeeded, (await host.WaitAsync(added.ExecutionId)).Status);
        var (client, cookies) = await SignInAsync(host, SandboxAccounts.PartnerAdminUserName, SandboxAccounts.PartnerAdminPassword);

        var orgPage = await GetPageAsync(client, cookies, $"/orgs/{demo.Id}");
        Assert.Contains($"href=\"/users/{added.User.Id}/remove\" data-testid=\"remove-user\"", orgPage, StringComparison.Ordinal);
        var confirmation = await GetPageAsync(client, cookies, $"/users/{added.User.Id}/remove");
        Assert.Contains("name=\"Confirm\" value=\"yes\" required", confirmation, StringComparison.Ordinal);
        var token = AntiforgeryField().Match(confirmation).Groups["value"].Value;

        var unconfirmed = await Send(client, cookies, HttpMethod.Post, $"/users/{added.User.Id}/remove", new() { ["__RequestVerificationToken"] = token });
        var wrong = await Send(client, cookies, HttpMethod.Post, $"/users/{added.User.Id}/remove", new() { ["__RequestVerificationToken"] = token, ["Confirm"] = "no" });
        var noToken = await Send(client, cookies, HttpMethod.Post, $"/users/{added.User.Id}/remove", new() { ["Confirm"] = "yes" });

        Assert.Equal(HttpStatusCode.BadRequest, unconfirmed.StatusCode);
        Assert.Contains("<li data-field=\"confirm\"><strong>Confirmation</strong>: Tick the box to confirm the removal; nothing was changed.</li>", await unconfirmed.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        var untouched = (await users.GetAsync(added.User.Id, Ct))!;
        Assert.Equal(PartnerUserStatus.Active, untouched.Status);
        Assert.Null(untouched.OffboardingExecutionId);
        Assert.Empty((await host.Workflows.ListAsync(new ExecutionQuery { WorkflowName = PartnerWorkflowNames.RemovePartnerUser }, Ct)).Items);

        var removed = await Send(client, cookies, HttpMethod.Post, $"/users/{added.User.Id}/remove", new() { ["__RequestVerificationToken"] = token, ["Confirm"] = "yes" });

        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Equal($"/orgs/{demo.Id}", removed.Headers.Location?.OriginalString);
        var offboarding = (await users.GetAsync(added.User.Id, Ct))!;
        Assert.NotNull(offboarding.OffboardingExecutionId);
        Assert.Equal(ExecutionStatus.Succeeded, (await host.WaitAsync(offboarding.OffboardingExecutionId!)).Status);
        Assert.Equal(PartnerUserStatus.Removed, (await users.GetAsync(added.User.Id, Ct))!.Status);

        var again = await Send(client, cookies, HttpMethod.Get, $"/users/{added.User.Id}/remove", null);
        Assert.Contains("data-testid=\"not-removable\"", await again.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemoveUser_PartnerAdminOnAnotherOrgsUser_Answers404AndStartsNothing()
    {
        await using var host = await StartAsync();
        var users = host.Services.GetRequiredService<PartnerUserStore>();
        var other = await host.CreateOrgAsync("Org B");
        using var admin = host.Admin();
        var theirs = await host.AddUserAsync(admin, other.Id, "bob@org-b.example", "Bob", "Berg");
        var (client, cookies) = await SignInAsync(host, SandboxAccounts.PartnerAdminUserName, SandboxAccounts.PartnerAdminPassword);
        var token = await TokenAsync(client, cookies, "/users");

        var page = await Send(client, cookies, HttpMethod.Get, $"/users/{theirs.User.Id}/remove", null);
        var post = await Send(client, cookies, HttpMethod.Post, $"/users/{theirs.User.Id}/remove", new() { ["__RequestVerificationToken"] = token, ["Confirm"] = "yes" });

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.DoesNotContain("bob@org-b.example", await post.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Null((await users.GetAsync(theirs.User.Id, Ct))!.OffboardingExecutionId);
    }

    [Fact]
    public async Task Forms_OnlyTheToken_AnswerValidationErrorsNot500()
    {
        await using var host = await StartAsync();
        var demo = await host.DemoOrgAsync();
        using var admin = host.Admin();
        var added = await host.AddUserAsync(admin, demo.Id, "ada@partner.example");
        var (client, cookies) = await SignInAsync(host, SandboxAccounts.AdminUserName, SandboxAccounts.AdminPassword);
        var token = await TokenAsync(client, cookies, "/orgs/new");

        foreach (var (path, field) in new[] { ("/orgs", "name"), ($"/orgs/{demo.Id}/edit", "name"), ($"/orgs/{demo.Id}/users", "email"), ($"/users/{added.User.Id}/edit", "first_name"), ($"/users/{added.User.Id}/remove", "confirm") })
        {
            var response = await Send(client, cookies, HttpMethod.Post, path, new() { ["__RequestVerificationToken"] = token });
            var body = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"POST {path}: {(int)response.StatusCode} {body}");
            Assert.Contains(field, body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Dashboard_OrgLabel_ShowsTheOrgsNameEncoded()
    {
        await using var host = await StartAsync();
        var org = await host.CreateOrgAsync("Initech <R&D>");
        using var admin = host.Admin();
        var added = await host.AddUserAsync(admin, org.Id, "peter@initech.example", "Peter", "Gibbons");
        await host.WaitAsync(added.ExecutionId);
        var (client, cookies) = await SignInAsync(host, SandboxAccounts.AdminUserName, SandboxAccounts.AdminPassword);

        var list = await GetPageAsync(client, cookies, "/hyopps/");
        var detail = await GetPageAsync(client, cookies, $"/hyopps/executions/{added.ExecutionId}");

        Assert.Contains(">org: Initech &lt;R&amp;D&gt;</a>", list, StringComparison.Ordinal);
        Assert.Contains($"label=org%3D{org.Id}", list, StringComparison.Ordinal);
        Assert.Contains($"data-label-value=\"{org.Id}\"", detail, StringComparison.Ordinal);
        Assert.Contains(">Initech &lt;R&amp;D&gt;</dd>", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("<R&D>", list + detail, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> OrgFields(string? token, string name, string links = "")
    {
        var fields = new Dictionary<string, string>
        {
            ["Name"] = name,
            ["Active"] = "true",
            ["MetabaseGroupId"] = "17",
            ["TeamsTeamId"] = "team-1",
            ["TeamsChannelId"] = "channel-1",
            ["SlackUserGroupId"] = "S01",
            ["SlackChannelId"] = "C01",
            ["AtlassianGroupId"] = "atl-1",
            ["DocumentationLinks"] = links,
        };
        if (token is not null)
        {
            fields["__RequestVerificationToken"] = token;
        }

        return fields;
    }

    private static async Task<string> GetPageAsync(HttpClient client, CookieJar cookies, string path)
    {
        var response = await Send(client, cookies, HttpMethod.Get, path, null);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {body}");
        return body;
    }

    private static async Task<string> TokenAsync(HttpClient client, CookieJar cookies, string path)
    {
        var token = AntiforgeryField().Match(await GetPageAsync(client, cookies, path)).Groups["value"].Value;
        Assert.False(string.IsNullOrEmpty(token));
        return token;
    }

    private static string Normalise(string body)
        => System.Text.RegularExpressions.Regex.Replace(body, "name=\"__RequestVerificationToken\" value=\"[^\"]*\"", string.Empty);
}
