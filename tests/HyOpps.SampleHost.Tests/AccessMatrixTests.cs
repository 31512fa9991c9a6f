using System.Net;
using System.Net.Http.Json;
using HyOpps.SampleHost.Api;
using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Sandbox;
using HyOpps.Workflows;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static HyOpps.SampleHost.Tests.SampleTestHost;

namespace HyOpps.SampleHost.Tests;

/// <summary>Two orgs, A (the demo org, with its partner admin) and B, each with an onboarded user; shared by the access matrix.</summary>
public sealed class TwoOrgFixture : IAsyncLifetime
{
    internal SampleTestHost Host { get; private set; } = null!;

    public string OrgA { get; private set; } = string.Empty;

    public string OrgB { get; private set; } = string.Empty;

    public UserWorkflowResponse UserA { get; private set; } = null!;

    public UserWorkflowResponse UserB { get; private set; } = null!;

    public string PartnerBKey { get; private set; } = string.Empty;

    public string AdminKeyId { get; private set; } = string.Empty;

    public async ValueTask InitializeAsync()
    {
        Host = await StartAsync("Development");
        OrgA = (await Host.DemoOrgAsync()).Id;
        OrgB = (await Host.CreateOrgAsync("Org B")).Id;
        PartnerBKey = await Host.PartnerAdminKeyAsync(OrgB, "partner-b");
        using var admin = Host.Admin();
        UserA = await Host.AddUserAsync(admin, OrgA, "alice@org-a.example", "Alice", "Anders");
        UserB = await Host.AddUserAsync(admin, OrgB, "bob@org-b.example", "Bob", "Berg");
        Assert.Equal(ExecutionStatus.Succeeded, (await Host.WaitAsync(UserA.ExecutionId)).Status);
        Assert.Equal(ExecutionStatus.Succeeded, (await Host.WaitAsync(UserB.ExecutionId)).Status);
        var accounts = Host.Services.GetRequiredService<AccountStore>();
        var adminAccount = await accounts.FindByUserNameAsync(SandboxAccounts.AdminUserName, default);
        AdminKeyId = (await accounts.ListApiKeysAsync(adminAccount!.Id, default))[0].Id;
    }

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}

public sealed class AccessMatrixTests(TwoOrgFixture f) : IClassFixture<TwoOrgFixture>
{
    private const string Unknown = "00000000000000000000000000000000";

    /// <summary>Every API endpoint, with a request aimed at org B's objects and the answer each caller must get.</summary>
    private IReadOnlyList<Case> Cases =>
    [
        new("GET", "/api/me", "/api/me", null, Anonymous: 401, PartnerOnB: 200, Admin: 200),
        new("GET", "/api/orgs", "/api/orgs", null, 401, 200, 200),
        new("GET", "/api/orgs/{id}", $"/api/orgs/{f.OrgB}", null, 401, 404, 200),
        new("POST", "/api/orgs", "/api/orgs", new { name = "Not allowed" }, 401, 403, 400, AdminBody: new { name = string.Empty }),
        new("PUT", "/api/orgs/{id}", $"/api/orgs/{f.OrgB}", new { name = "Renamed" }, 401, 403, 400, AdminBody: new { name = string.Empty }),

        // The org's notification target is the admins' to set: a partner admin cannot redirect another org's (or their own) notices.
        new("PUT", "/api/orgs/{id}", $"/api/orgs/{f.OrgB}", new { name = "Renamed", notification_email = "eve@attacker.example" }, 401, 403, 400,
            AdminBody: new { name = "Renamed", notification_email = "not an address" }),
        new("DELETE", "/api/orgs/{id}", $"/api/orgs/{f.OrgB}", null, 401, 403, 409),
        new("GET", "/api/users", $"/api/users?org_id={f.OrgB}", null, 401, 404, 200),
        new("GET", "/api/users/{id}", $"/api/users/{f.UserB.User.Id}", null, 401, 404, 200),
        new("POST", "/api/users", "/api/users", new { org_id = f.OrgB, email = "eve@org-b.example", first_name = "Eve", last_name = "Evans" }, 401, 400, 409,
            // Other names than Bob's own add: the same request again would answer 202 with his start (issue 15), this one is a conflict.
            AdminBody: new { org_id = f.OrgB, email = "bob@org-b.example", first_name = "Bobby", last_name = "Berg" }),
        new("PUT", "/api/users/{id}", $"/api/users/{f.UserB.User.Id}", new { first_name = "Robert", last_name = "Berg" }, 401, 404, 400,
            AdminBody: new { first_name = string.Empty, last_name = "Berg" }),
        new("DELETE", "/api/users/{id}", $"/api/users/{f.UserB.User.Id}", null, 401, 404, null),
        new("GET", "/api/executions", $"/api/executions?org_id={f.OrgB}", null, 401, 404, 200),
        new("GET", "/api/executions/{id}", $"/api/executions/{f.UserB.ExecutionId}", null, 401, 404, 200),
        new("POST", "/api/executions/{id}/retry", $"/api/executions/{f.UserB.ExecutionId}/retry", new { }, 401, 404, 409),
        new("POST", "/api/executions/{id}/cancel", $"/api/executions/{f.UserB.ExecutionId}/cancel", new { }, 401, 404, 409),
        new("POST", "/api/executions/{id}/approve", $"/api/executions/{f.UserB.ExecutionId}/approve", new { }, 401, 404, 409),
        new("POST", "/api/executions/{id}/reject", $"/api/executions/{f.UserB.ExecutionId}/reject", new { }, 401, 404, 409),
        new("POST", "/api/executions/{id}/rerun", $"/api/executions/{f.UserB.ExecutionId}/rerun", new { step_id = "no_such_step" }, 401, 404, 400),
        new("POST", "/api/executions/{id}/start-now", $"/api/executions/{f.UserB.ExecutionId}/start-now", new { }, 401, 404, 409),

        // Bulk actions: another org's id answers 404 to a partner admin, whatever the body asks; the admin's dry run counts.
        new("POST", "/api/executions/bulk/retry", "/api/executions/bulk/retry", new { dry_run = true, org_id = f.OrgB }, 401, 404, 200),
        new("POST", "/api/executions/bulk/cancel", "/api/executions/bulk/cancel", new { dry_run = true, org_id = f.OrgB }, 401, 404, 200),
        new("POST", "/api/executions/bulk/rerun", "/api/executions/bulk/rerun", new { dry_run = true, org_id = f.OrgB, rerun_step_id = "share_documentation" }, 401, 404, 200),
        new("GET", "/api/account/antiforgery", "/api/account/antiforgery", null, 401, 200, 200),
        new("POST", "/api/account/password", "/api/account/password", new { current_password = "wrong", new_password = "short" }, 401, 400, 400),
        new("GET", "/api/account/api-keys", "/api/account/api-keys", null, 401, 200, 200),
        new("POST", "/api/account/api-keys", "/api/account/api-keys", new { name = string.Empty }, 401, 400, 400),
        new("DELETE", "/api/account/api-keys/{id}", $"/api/account/api-keys/{f.AdminKeyId}", null, 401, 404, null),
        new("GET", "/api/accounts", "/api/accounts", null, 401, 403, 200),
        new("POST", "/api/accounts", "/api/accounts", new { user_name = "x" }, 401, 403, 400),
        new("DELETE", "/api/accounts/{id}", $"/api/accounts/{Unknown}", null, 401, 403, 404),
        new("GET", "/api/metabase/debug/user/{id:int}", "/api/metabase/debug/user/1", null, 401, 403, 200),
        new("GET", "/api/retention/expired", "/api/retention/expired", null, 401, 403, 200),

        // The pages: forms without an antiforgery token are refused (400) before anything happens.
        new("GET", "", "/", null, 401, 200, 200),
        new("GET", "/orgs", "/orgs", null, 401, 200, 200),
        new("GET", "/orgs/{id}", $"/orgs/{f.OrgB}", null, 401, 404, 200),
        new("GET", "/users", "/users", null, 401, 200, 200),
        new("POST", "/orgs/{id}/users", $"/orgs/{f.OrgB}/users", Form, 401, 400, 400),
        new("GET", "/users/{id}/remove", $"/users/{f.UserB.User.Id}/remove", null, 401, 404, 200),
        new("POST", "/users/{id}/remove", $"/users/{f.UserB.User.Id}/remove", Form, 401, 400, 400),
        new("GET", "/users/{id}/edit", $"/users/{f.UserB.User.Id}/edit", null, 401, 404, 200),
        new("POST", "/users/{id}/edit", $"/users/{f.UserB.User.Id}/edit", Form, 401, 400, 400),

        // Admin-only pages: a partner admin is refused before anything is read (403, like the API's PUT /api/orgs/{id}).
        new("GET", "/orgs/new", "/orgs/new", null, 401, 403, 200),
        new("POST", "/orgs", "/orgs", Form, 401, 403, 400),
        new("GET", "/orgs/{id}/edit", $"/orgs/{f.OrgB}/edit", null, 401, 403, 200),
        new("POST", "/orgs/{id}/edit", $"/orgs/{f.OrgB}/edit", Form, 401, 403, 400),
        new("GET", "/account/login", "/account/login", null, 200, 200, 200),
        new("POST", "/account/login", "/account/login", Form, 400, 400, 400),
        new("POST", "/account/logout", "/account/logout", Form, 401, 400, 400),
        new("GET", "/account/denied", "/account/denied", null, 401, 403, 403),
        new("GET", "/openapi/{documentName}.json", "/openapi/v1.json", null, 200, 200, 200),
        new("GET", "/site.css", "/site.css", null, 200, 200, 200),
    ];

    private static Dictionary<string, string> Form => new() { ["Email"] = "eve@org-b.example", ["FirstName"] = "Eve", ["LastName"] = "Evans" };

    [Fact]
    public void Cases_CoverEveryEndpointButTheDashboard()
    {
        var endpoints = f.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && !raw.StartsWith("/hyopps", StringComparison.Ordinal) && !raw.Contains("**", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {e.RoutePattern.RawText!.TrimEnd('/')}"))
            .ToHashSet();
        var covered = Cases.Select(c => $"{c.Method} {c.Route}").ToHashSet();

        Assert.Empty(endpoints.Except(covered));
        Assert.Empty(covered.Except(endpoints));
    }

    [Fact]
    public async Task EveryEndpoint_Anonymous_Answers401()
    {
        using var client = f.Host.Anonymous();
        foreach (var c in Cases)
        {
            using var response = await SendAsync(client, c, c.Body);
            Assert.True(c.Anonymous == (int)response.StatusCode, $"{c.Method} {c.Url}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task EveryEndpoint_PartnerAdminOfOrgAOnOrgB_IsRefusedAndLearnsNothing()
    {
        using var partner = f.Host.WithKey(SandboxAccounts.PartnerAdminApiKey);
        foreach (var c in Cases)
        {
            using var response = await SendAsync(partner, c, c.Body);
            var body = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(c.PartnerOnB == (int)response.StatusCode, $"{c.Method} {c.Url}: {(int)response.StatusCode} {body}");
            foreach (var secret in new[] { f.OrgB, f.UserB.User.Id, f.UserB.ExecutionId, "bob@org-b.example", "Org B" })
            {
                Assert.DoesNotContain(secret, body, StringComparison.OrdinalIgnoreCase);
            }

            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest && c.Url.Contains(f.OrgB, StringComparison.Ordinal) || c.Url.Contains(f.UserB.User.Id, StringComparison.Ordinal)
                || c.Url.Contains(f.UserB.ExecutionId, StringComparison.Ordinal))
            {
                // Org B's objects answer exactly like objects that do not exist.
                var unknown = c with { Url = c.Url.Replace(f.OrgB, Unknown, StringComparison.Ordinal).Replace(f.UserB.User.Id, Unknown, StringComparison.Ordinal).Replace(f.UserB.ExecutionId, Unknown, StringComparison.Ordinal) };
                using var other = await SendAsync(partner, unknown, c.Body);
                Assert.Equal(response.StatusCode, other.StatusCode);
                Assert.Equal(Normalise(body), Normalise(await other.Content.ReadAsStringAsync(Ct)));
            }
        }

        // Naming org B in a body answers like naming an org that does not exist.
        using var addToB = await partner.PostAsJsonAsync("/api/users", new { org_id = f.OrgB, email = "eve@org-b.example", first_name = "Eve", last_name = "Evans" }, Ct);
        using var addToUnknown = await partner.PostAsJsonAsync("/api/users", new { org_id = Unknown, email = "eve@org-b.example", first_name = "Eve", last_name = "Evans" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, addToB.StatusCode);
        Assert.Equal(
            Normalise((await addToB.Content.ReadAsStringAsync(Ct)).Replace(f.OrgB, Unknown, StringComparison.Ordinal)),
            Normalise(await addToUnknown.Content.ReadAsStringAsync(Ct)));
        Assert.Null(await f.Host.Services.GetRequiredService<PartnerUserStore>().FindAsync(f.OrgB, "eve@org-b.example", Ct));
    }

    [Fact]
    public async Task EveryEndpoint_Admin_IsAllowed()
    {
        using var admin = f.Host.Admin();
        foreach (var c in Cases.Where(c => c.Admin is not null))
        {
            using var response = await SendAsync(admin, c, c.AdminBody ?? c.Body);
            Assert.True(c.Admin == (int)response.StatusCode, $"{c.Method} {c.Url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        }
    }

    /// <summary>The dashboard's overview, label search and bulk progress pages (the matrix above leaves the dashboard out).</summary>
    [Fact]
    public async Task DashboardOverviewSearchAndBulkProgress_AreScopedToTheCaller()
    {
        using var anonymous = f.Host.Anonymous();
        using var partner = f.Host.WithKey(SandboxAccounts.PartnerAdminApiKey);
        using var admin = f.Host.Admin();
        partner.DefaultRequestHeaders.Accept.Clear();
        admin.DefaultRequestHeaders.Accept.Clear();
        foreach (var path in new[] { "/hyopps/overview", "/hyopps/?q=bob%40org-b.example", $"/hyopps/bulk/jobs/{Unknown}" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path, Ct)).StatusCode);
        }

        var overview = await partner.GetStringAsync("/hyopps/overview", Ct);
        foreach (var secret in new[] { f.OrgB, f.UserB.ExecutionId, "bob@org-b.example", "Org B" })
        {
            Assert.DoesNotContain(secret, overview, StringComparison.OrdinalIgnoreCase);
        }

        // Retention counts every org's executions: admins only.
        Assert.DoesNotContain("retention-total", overview, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"retention-total\"", await admin.GetStringAsync("/hyopps/overview", Ct), StringComparison.Ordinal);
        Assert.DoesNotContain(f.UserB.ExecutionId, await partner.GetStringAsync("/hyopps/?q=bob%40org-b.example", Ct), StringComparison.Ordinal);
        Assert.Contains(f.UserA.ExecutionId, await partner.GetStringAsync("/hyopps/?q=alice%40org-a.example", Ct), StringComparison.Ordinal);
        Assert.Contains(f.UserB.ExecutionId, await admin.GetStringAsync("/hyopps/?q=bob%40org-b.example", Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await partner.GetAsync($"/hyopps/bulk/jobs/{Unknown}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/hyopps/bulk/jobs/{Unknown}", Ct)).StatusCode);
    }

    [Fact]
    public async Task Lists_PartnerAdminOfOrgA_SeeOnlyOrgA()
    {
        using var partner = f.Host.WithKey(SandboxAccounts.PartnerAdminApiKey);

        var orgs = await partner.GetFromJsonAsync<List<OrgResponse>>("/api/orgs", Json, Ct);
        Assert.Equal([f.OrgA], orgs!.Select(o => o.Id));
        var users = await partner.GetFromJsonAsync<List<UserResponse>>("/api/users", Json, Ct);
        Assert.NotEmpty(users!);
        Assert.All(users!, u => Assert.Equal(f.OrgA, u.OrgId));
        Assert.Contains(users!, u => u.Id == f.UserA.User.Id && u.MetabaseUserId is not null);
        var executions = await partner.GetFromJsonAsync<ExecutionListResponse>("/api/executions?status=succeeded,failed&workflow=new_partner_user", Json, Ct);
        Assert.Contains(executions!.Items, e => e.Id == f.UserA.ExecutionId);
        Assert.All(executions.Items, e => Assert.Equal(f.OrgA, e.Labels["org"]));
        Assert.Equal(executions.Items.Count, executions.Total);
        var own = await partner.GetFromJsonAsync<ExecutionListResponse>($"/api/executions?org_id={f.OrgA}", Json, Ct);
        Assert.Contains(own!.Items, e => e.Id == f.UserA.ExecutionId);

        foreach (var path in new[] { "/api/orgs", "/api/users", "/api/executions", "/api/executions?status=succeeded" })
        {
            var raw = await partner.GetStringAsync(path, Ct);
            Assert.DoesNotContain(f.OrgB, raw, StringComparison.Ordinal);
            Assert.DoesNotContain("bob@org-b.example", raw, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task OwnOrg_PartnerAdmin_ReadsAndActsButCannotEditTheOrg()
    {
        using var partner = f.Host.WithKey(SandboxAccounts.PartnerAdminApiKey);

        var org = await partner.GetFromJsonAsync<OrgResponse>($"/api/orgs/{f.OrgA}", Json, Ct);
        Assert.NotEmpty(org!.DocumentationLinks);
        Assert.Equal(HttpStatusCode.OK, (await partner.GetAsync($"/api/users/{f.UserA.User.Id}", Ct)).StatusCode);
        var detail = await partner.GetFromJsonAsync<ExecutionDetailResponse>($"/api/executions/{f.UserA.ExecutionId}", Json, Ct);
        Assert.Equal(10, detail!.Steps.Count);
        Assert.All(detail.Steps, s => Assert.NotEmpty(s.Attempts));
        Assert.NotEmpty(detail.Audit);
        Assert.Equal(HttpStatusCode.Forbidden, (await partner.PutAsJsonAsync($"/api/orgs/{f.OrgA}", new { name = "Renamed" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await partner.DeleteAsync($"/api/orgs/{f.OrgA}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await partner.PostAsJsonAsync($"/api/executions/{f.UserA.ExecutionId}/retry", new { }, Ct)).StatusCode);

        // An input override could point a step at another org's groups: admins only.
        var overridden = await partner.PostAsJsonAsync($"/api/executions/{f.UserA.ExecutionId}/rerun",
            new { step_number = 4, input_override = new { org = new { metabase_group_id = 1 } } }, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, overridden.StatusCode);
        Assert.Equal(ExecutionStatus.Succeeded, (await f.Host.Workflows.GetAsync(f.UserA.ExecutionId, Ct))!.Status);
    }

    [Fact]
    public async Task MetabaseDebug_AdminInDevelopment_ShowsTheUserAndItsGroups()
    {
        using var admin = f.Host.Admin();
        var user = await f.Host.GetUserAsync(f.UserA.User.Id);

        var answer = await admin.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/metabase/debug/user/{user.MetabaseUserId}", Ct);

        Assert.Equal(user.Email, answer.GetProperty("metabase_user").GetProperty("email").GetString());
        var groupId = (await f.Host.DemoOrgAsync()).MetabaseGroupId;
        Assert.Contains(answer.GetProperty("metabase_user").GetProperty("groups").EnumerateArray(), g => g.GetProperty("id").GetInt32() == groupId);
        Assert.Equal(f.UserA.User.Id, answer.GetProperty("partner_users")[0].GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/metabase/debug/user/99999", Ct)).StatusCode);
    }

    private static string Normalise(string body)
        => System.Text.RegularExpressions.Regex.Replace(
            System.Text.RegularExpressions.Regex.Replace(body, "\"trace_?[iI]d\":\"[^\"]*\"", string.Empty),
            "name=\"__RequestVerificationToken\" value=\"[^\"]*\"",
            string.Empty);

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, Case c, object? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(c.Method), c.Url);
        if (body is Dictionary<string, string> form)
        {
            request.Content = new FormUrlEncodedContent(form);
        }
        else if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType());
        }

        return await client.SendAsync(request, Ct);
    }

    private sealed record Case(string Method, string Route, string Url, object? Body, int Anonymous, int PartnerOnB, int? Admin, object? AdminBody = null);
}
