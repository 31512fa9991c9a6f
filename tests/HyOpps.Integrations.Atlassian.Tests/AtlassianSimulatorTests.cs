using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HyOpps.Testing.Atlassian;

namespace HyOpps.Integrations.Atlassian.Tests;

public sealed class AtlassianSimulatorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Search_WrongCredentials_Answers401InPlainText()
    {
        await using var simulator = new AtlassianSimulator();
        await simulator.StartAsync(Ct);
        using var http = Client(simulator, "wrong");

        using var response = await http.GetAsync("rest/api/3/user/search?query=a", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Search_HiddenEmail_MatchesButOmitsEmailAddress()
    {
        await using var simulator = new AtlassianSimulator();
        await simulator.StartAsync(Ct);
        simulator.AddAccount("ada@partner.example", "Ada Lovelace", emailHidden: true);
        using var http = Client(simulator, simulator.ApiToken);

        var users = await http.GetFromJsonAsync<JsonElement>("rest/api/3/user/search?query=ada@partner", Ct);

        var user = Assert.Single(users.EnumerateArray());
        Assert.False(user.TryGetProperty("emailAddress", out _));
        Assert.Equal("atlassian", user.GetProperty("accountType").GetString());
        Assert.Single((await http.GetFromJsonAsync<JsonElement>("rest/api/3/user/search?query=love", Ct)).EnumerateArray());
    }

    [Fact]
    public async Task AddToGroup_Duplicate_Answers400WithJirasMessage()
    {
        await using var simulator = new AtlassianSimulator();
        await simulator.StartAsync(Ct);
        var account = simulator.AddAccount("ada@partner.example");
        var group = simulator.CreateGroup("acme-partners");
        using var http = Client(simulator, simulator.ApiToken);

        using var first = await http.PostAsJsonAsync($"rest/api/3/group/user?groupId={group.GroupId}", new { accountId = account.AccountId }, Ct);
        using var second = await http.PostAsJsonAsync($"rest/api/3/group/user?groupId={group.GroupId}", new { accountId = account.AccountId }, Ct);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(group.GroupId, (await first.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("groupId").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        var body = await second.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Cannot add user. User is already a member of 'acme-partners'", body.GetProperty("errorMessages")[0].GetString());
        Assert.Equal(JsonValueKind.Object, body.GetProperty("errors").ValueKind);
    }

    [Fact]
    public async Task RateLimit_Answers429WithRetryAfterAndRateLimitHeaders()
    {
        await using var simulator = new AtlassianSimulator();
        await simulator.StartAsync(Ct);
        simulator.InjectRateLimit("/", TimeSpan.FromSeconds(3), times: 1);
        using var http = Client(simulator, simulator.ApiToken);

        using var limited = await http.GetAsync("rest/api/3/user/search?query=a", Ct);
        using var next = await http.GetAsync("rest/api/3/user/search?query=a", Ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), limited.Headers.RetryAfter?.Delta);
        Assert.True(limited.Headers.Contains("X-RateLimit-Reset"));
        Assert.Equal("0", limited.Headers.GetValues("X-RateLimit-Remaining").Single());
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task Invite_WithAdminKey_CreatesTheAccountAfterTheConfiguredSearches()
    {
        await using var simulator = new AtlassianSimulator { OrgId = "org-1" };
        await simulator.StartAsync(Ct);
        simulator.InvitedAccountVisibleAfterSearches = 2;
        var group = simulator.CreateGroup("acme-partners");
        using var admin = new HttpClient { BaseAddress = simulator.AdminApiBaseUrl };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", simulator.OrgAdminApiKey);
        using var site = Client(simulator, simulator.ApiToken);

        using var invite = await admin.PostAsJsonAsync("admin/v2/orgs/org-1/users/invite", new { emails = new[] { "new@partner.example" }, additionalGroups = new[] { group.GroupId } }, Ct);
        var firstSearch = await site.GetFromJsonAsync<JsonElement>("rest/api/3/user/search?query=new@partner.example", Ct);
        var secondSearch = await site.GetFromJsonAsync<JsonElement>("rest/api/3/user/search?query=new@partner.example", Ct);

        Assert.Equal(HttpStatusCode.OK, invite.StatusCode);
        Assert.Equal(0, firstSearch.GetArrayLength());
        Assert.Equal(1, secondSearch.GetArrayLength());
        Assert.Equal([simulator.FindAccount("new@partner.example")!.AccountId], simulator.GetGroupMembers(group.GroupId));
    }

    private static HttpClient Client(AtlassianSimulator simulator, string token)
    {
        var http = new HttpClient { BaseAddress = simulator.SiteUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{simulator.Email}:{token}")));
        return http;
    }
}
