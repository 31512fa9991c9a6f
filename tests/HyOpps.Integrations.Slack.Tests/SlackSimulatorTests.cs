using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using HyOpps.Testing.Slack;

namespace HyOpps.Integrations.Slack.Tests;

public sealed class SlackSimulatorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Post_JsonBodyWithTokenField_AnswersNotAuthed()
    {
        await using var sim = await StartAsync();
        using var http = new HttpClient { BaseAddress = sim.ApiBaseAddress };

        var json = await SendAsync(http, HttpMethod.Post, "usergroups.list", Json($$"""{"token":"{{sim.BotToken}}"}"""));

        Assert.False(json.GetProperty("ok").GetBoolean());
        Assert.Equal("not_authed", json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Post_JsonBodyWithHeader_AcceptedWithMissingCharsetWarning()
    {
        await using var sim = await StartAsync();
        using var http = new HttpClient { BaseAddress = sim.ApiBaseAddress };
        var content = new StringContent("""{"include_users":true}""", Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var json = await SendAsync(http, HttpMethod.Post, "usergroups.list", content, sim.BotToken);

        Assert.True(json.GetProperty("ok").GetBoolean());
        Assert.Equal("missing_charset", json.GetProperty("warning").GetString());
    }

    [Fact]
    public async Task Post_FormBodyWithToken_Accepted()
    {
        await using var sim = await StartAsync();
        var x = sim.AddUser("ada@partner.test");
        var group = sim.CreateUserGroup("acme", sim.AddUser("a@acme.test"));
        using var http = new HttpClient { BaseAddress = sim.ApiBaseAddress };

        var json = await SendAsync(http, HttpMethod.Post, "usergroups.users.update", Form(("token", sim.BotToken), ("usergroup", group), ("users", x)));

        Assert.True(json.GetProperty("ok").GetBoolean());
        Assert.Equal([x], sim.GetUserGroupMembers(group));
        Assert.False(sim.Calls[^1].UsedAuthorizationHeader);
        Assert.False(sim.Calls[^1].Arguments.ContainsKey("token"));
    }

    [Fact]
    public async Task Call_UnknownToken_AnswersInvalidAuthWithHttp200()
    {
        await using var sim = await StartAsync();
        using var http = new HttpClient { BaseAddress = sim.ApiBaseAddress };

        using var response = await Send(http, HttpMethod.Get, "usergroups.list", null, "xoxb-nope");
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("invalid_auth", json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task UpdateUsers_ReplacesTheWholeList()
    {
        await using var sim = await StartAsync();
        var a = sim.AddUser("a@acme.test");
        var b = sim.AddUser("b@acme.test");
        var group = sim.CreateUserGroup("acme", a);
        using var http = new HttpClient { BaseAddress = sim.ApiBaseAddress };

        var json = await SendAsync(http, HttpMethod.Post, "usergroups.users.update", Form(("usergroup", group), ("users", b)), sim.BotToken);

        Assert.Equal([b], sim.GetUserGroupMembers(group));
        Assert.Equal(b, json.GetProperty("usergroup").GetProperty("users")[0].GetString());
    }

    [Theory]
    [InlineData("", "no_users_provided")]
    [InlineData("U_UNKNOWN", "invalid_users")]
    [InlineData("guest", "invalid_user")]
    [InlineData("bot", "invalid_user")]
    [InlineData("single", "single_channel_guests_cannot_be_added")]
    public async Task UpdateUsers_InvalidMembers_Rejected(string who, string error)
    {
        await using var sim = await StartAsync();
        var a = sim.AddUser("a@acme.test");
        var ids = new Dictionary<string, string>
        {
            ["guest"] = sim.AddUser("g@partner.test", kind: SlackSimulatorUserKind.MultiChannelGuest),
            ["bot"] = sim.AddUser("bot@acme.test", kind: SlackSimulatorUserKind.Bot),
            ["single"] = sim.AddUser("s@partner.test", kind: SlackSimulatorUserKind.SingleChannelGuest),
        };
        var group = sim.CreateUserGroup("acme", a);
        using var http = new HttpClient { BaseAddress = sim.ApiBaseAddress };

        var json = await SendAsync(http, HttpMethod.Post, "usergroups.users.update", Form(("usergroup", group), ("users", ids.GetValueOrDefault(who, who))), sim.BotToken);

        Assert.Equal(error, json.GetProperty("error").GetString());
        Assert.Equal([a], sim.GetUserGroupMembers(group));
    }

    [Fact]
    public async Task Call_WithoutScope_AnswersMissingScopeWithNeededAndProvided()
    {
        await using var sim = await StartAsync();
        sim.AddToken("xoxb-narrow", ["users:read"]);
        using var http = new HttpClient { BaseAddress = sim.ApiBaseAddress };

        var json = await SendAsync(http, HttpMethod.Get, "users.lookupByEmail?email=a%40b.test", null, "xoxb-narrow");

        Assert.Equal("missing_scope", json.GetProperty("error").GetString());
        Assert.Equal("users:read.email", json.GetProperty("needed").GetString());
        Assert.Equal("users:read", json.GetProperty("provided").GetString());
    }

    [Fact]
    public async Task SimulateRateLimit_Answers429WithRetryAfterAndRatelimitedBody()
    {
        await using var sim = await StartAsync();
        sim.InjectRateLimit("usergroups.list", TimeSpan.FromSeconds(3));
        using var http = new HttpClient { BaseAddress = sim.ApiBaseAddress };

        using var response = await Send(http, HttpMethod.Get, "usergroups.list", null, sim.BotToken);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter?.Delta);
        Assert.Equal("""{"ok":false,"error":"ratelimited"}""", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task AdminInvite_BotToken_AnswersNotAllowedTokenType()
    {
        await using var sim = await StartAsync();
        var channel = sim.CreateChannel("general");
        using var http = new HttpClient { BaseAddress = sim.ApiBaseAddress };

        var json = await SendAsync(http, HttpMethod.Post, "admin.users.invite", Form(("team_id", sim.TeamId), ("email", "n@p.test"), ("channel_ids", channel)), sim.BotToken);

        Assert.Equal("not_allowed_token_type", json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task AdminInvite_AccountAppearsAfterConfiguredLookups()
    {
        await using var sim = await StartAsync();
        sim.InvitationAcceptedAfterLookups = 2;
        var channel = sim.CreateChannel("general");
        using var http = new HttpClient { BaseAddress = sim.ApiBaseAddress };

        var invite = await SendAsync(http, HttpMethod.Post, "admin.users.invite", Form(("team_id", sim.TeamId), ("email", "n@p.test"), ("channel_ids", channel)), sim.AdminToken);
        var errors = new List<string?>();
        for (var i = 0; i < 3; i++)
        {
            var lookup = await SendAsync(http, HttpMethod.Get, "users.lookupByEmail?email=n%40p.test", null, sim.BotToken);
            errors.Add(lookup.GetProperty("ok").GetBoolean() ? null : lookup.GetProperty("error").GetString());
        }

        Assert.True(invite.GetProperty("ok").GetBoolean());
        Assert.Equal(["users_not_found", "users_not_found", null], errors);
        Assert.Contains(sim.FindUserId("n@p.test")!, sim.GetChannelMembers(channel));
    }

    [Fact]
    public async Task UnknownMethod_Answers404UnknownMethod()
    {
        await using var sim = await StartAsync();
        using var http = new HttpClient { BaseAddress = sim.ApiBaseAddress };

        using var response = await Send(http, HttpMethod.Get, "chat.nothing", null, sim.BotToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("unknown_method", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    private static async Task<SlackSimulator> StartAsync()
    {
        var sim = new SlackSimulator();
        await sim.StartAsync(Ct);
        return sim;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields)
        => new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    private static async Task<HttpResponseMessage> Send(HttpClient http, HttpMethod method, string path, HttpContent? content, string? token)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await http.SendAsync(request, Ct);
    }

    private static async Task<JsonElement> SendAsync(HttpClient http, HttpMethod method, string path, HttpContent? content, string? token = null)
    {
        using var response = await Send(http, method, path, content, token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();
    }
}
