using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HyOpps.SampleHost.Data;
using HyOpps.SampleHost.Workflows;
using HyOpps.Workflows;
using Microsoft.Extensions.DependencyInjection;
using static HyOpps.SampleHost.Tests.SampleTestHost;

namespace HyOpps.SampleHost.Tests;

public sealed class ValidationTests
{
    public static TheoryData<string, string> BadUsers => new()
    {
        { """{"email":"not-an-email","first_name":"Ada","last_name":"Lovelace"}""", "email" },
        { """{"email":"ada@localhost","first_name":"Ada","last_name":"Lovelace"}""", "email" },
        { """{"email":"Ada <ada@partner.example>","first_name":"Ada","last_name":"Lovelace"}""", "email" },
        { """{"email":"ada@@partner.example","first_name":"Ada","last_name":"Lovelace"}""", "email" },
        { """{"first_name":"Ada","last_name":"Lovelace"}""", "email" },
        { """{"email":"ada@partner.example","last_name":"Lovelace"}""", "first_name" },
        { """{"email":"ada@partner.example","first_name":"Ada","last_name":"  "}""", "last_name" },
        { $$"""{"email":"ada@partner.example","first_name":"{{new string('a', 101)}}","last_name":"Lovelace"}""", "first_name" },
        { $$"""{"email":"{{new string('a', 250)}}@partner.example","first_name":"Ada","last_name":"Lovelace"}""", "email" },
        { """{"email":"ada@partner.example","first_name":"Ada","last_name":"Lovelace","org_id":"no-such-org"}""", "org_id" },
        { """{"email":"ada@partner.example","first_name":"Ada","last_name":"Lovelace","role":"admin"}""", "role" },
        { """{"email":42,"first_name":"Ada","last_name":"Lovelace"}""", "email" },
    };

    [Theory]
    [MemberData(nameof(BadUsers))]
    public async Task AddUser_BadInput_Answers400NamingTheFieldAndWritesNothing(string json, string field)
    {
        await using var host = await StartAsync();
        var org = await host.DemoOrgAsync();
        using var admin = host.Admin();
        var body = json.Contains("org_id", StringComparison.Ordinal) ? json : json.Replace("{", $$"""{"org_id":"{{org.Id}}",""", StringComparison.Ordinal);

        using var response = await admin.PostAsync("/api/users", new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), problem.ToString());
        Assert.NotEmpty(messages.EnumerateArray().Select(m => m.GetString()));
        Assert.Empty(await host.Services.GetRequiredService<PartnerUserStore>().ListAsync(null, null, Ct));
        Assert.Equal(0, (await host.Workflows.ListAsync(new ExecutionQuery(), Ct)).Total);
    }

    [Fact]
    public async Task AddUser_Duplicate_Answers409AndStartsNoSecondExecution()
    {
        await using var host = await StartAsync();
        var org = await host.DemoOrgAsync();
        using var admin = host.Admin();
        var first = await host.AddUserAsync(admin, org.Id, "ada@partner.example");

        using var again = await admin.PostAsJsonAsync("/api/users", new { org_id = org.Id, email = "  ADA@Partner.Example ", first_name = "Ada", last_name = "L" }, Ct);

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        Assert.Single(await host.Services.GetRequiredService<PartnerUserStore>().ListAsync(org.Id, null, Ct));
        var executions = await host.Workflows.ListAsync(new ExecutionQuery { WorkflowName = PartnerWorkflowNames.NewPartnerUser }, Ct);
        Assert.Equal(first.ExecutionId, Assert.Single(executions.Items).Id);
    }

    [Fact]
    public async Task AddUser_InactiveOrg_Answers400AndWritesNothing()
    {
        await using var host = await StartAsync();
        using var admin = host.Admin();
        var org = await host.CreateOrgAsync("Sleeping partner");
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/orgs/{org.Id}", new { name = org.Name, active = false }, Ct)).StatusCode);

        using var response = await admin.PostAsJsonAsync("/api/users", new { org_id = org.Id, email = "ada@partner.example", first_name = "Ada", last_name = "L" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("org_id", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Empty(await host.Services.GetRequiredService<PartnerUserStore>().ListAsync(org.Id, null, Ct));
    }

    public static TheoryData<string, string> BadOrgs => new()
    {
        { """{"name":""}""", "name" },
        { $$"""{"name":"{{new string('o', 201)}}"}""", "name" },
        { """{"name":"Acme","metabase_group_id":0}""", "metabase_group_id" },
        { """{"name":"Acme","metabase_group_id":"seven"}""", "metabase_group_id" },
        { """{"name":"Acme","teams_channel_id":"19:abc@thread.tacv2"}""", "teams_channel_id" },
        { """{"name":"Acme","slack_user_group_id":"S 1"}""", "slack_user_group_id" },
        { """{"name":"Acme","documentation_links":[{"title":"Docs","url":"javascript:alert(1)"}]}""", "documentation_links[0].url" },
        { """{"name":"Acme","documentation_links":[{"title":"","url":"https://docs.example.com"}]}""", "documentation_links[0].title" },
        { $$"""{"name":"Acme","documentation_links":[{"title":"Docs","url":"https://docs.example.com/{{new string('p', 2000)}}"}]}""", "documentation_links[0].url" },
        { """{"name":"Acme","surprise":true}""", "surprise" },
        { """{"name":"Acme",""", "body" },
    };

    [Theory]
    [MemberData(nameof(BadOrgs))]
    public async Task CreateOrg_BadInput_Answers400NamingTheFieldAndWritesNothing(string json, string field)
    {
        await using var host = await StartAsync();
        using var admin = host.Admin();
        var before = await host.Services.GetRequiredService<OrgStore>().ListAsync(null, Ct);

        using var response = await admin.PostAsync("/api/orgs", new StringContent(json, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(before.Count, (await host.Services.GetRequiredService<OrgStore>().ListAsync(null, Ct)).Count);
    }

    [Fact]
    public async Task CreateOrg_DuplicateName_Answers409()
    {
        await using var host = await StartAsync();
        using var admin = host.Admin();

        using var response = await admin.PostAsJsonAsync("/api/orgs", new { name = " demo PARTNER " }, Ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Single(await host.Services.GetRequiredService<OrgStore>().ListAsync(null, Ct));
    }

    [Fact]
    public async Task Unknown_Ids_Answer404ProblemDetails()
    {
        await using var host = await StartAsync();
        using var admin = host.Admin();

        foreach (var path in new[] { "/api/orgs/nope", "/api/users/nope", "/api/executions/nope", "/api/no/such/route" })
        {
            using var response = await admin.GetAsync(path, Ct);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        using var users = await admin.GetAsync("/api/users?org_id=nope", Ct);
        Assert.Equal(HttpStatusCode.NotFound, users.StatusCode);
        using var status = await admin.GetAsync("/api/executions?status=sleeping", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, status.StatusCode);
        Assert.Contains("\"status\"", await status.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditUser_ChangesNamesOnlyAndRefusesAnEmailChange()
    {
        await using var host = await StartAsync();
        var org = await host.DemoOrgAsync();
        using var admin = host.Admin();
        var added = await host.AddUserAsync(admin, org.Id, "ada@partner.example");

        using var renamed = await admin.PutAsJsonAsync($"/api/users/{added.User.Id}", new { first_name = "Augusta Ada", last_name = "King" }, Ct);
        using var moved = await admin.PutAsJsonAsync($"/api/users/{added.User.Id}", new { first_name = "Ada", last_name = "King", email = "other@partner.example" }, Ct);

        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, moved.StatusCode);
        Assert.Contains("\"email\"", await moved.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var user = await host.GetUserAsync(added.User.Id);
        Assert.Equal(("Augusta Ada", "King", "ada@partner.example"), (user.FirstName, user.LastName, user.Email));
    }
}
