using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using HyOpps.Testing.Metabase;

namespace HyOpps.Integrations.Metabase.Tests;

public sealed class MetabaseSimulatorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(MetabaseSimulator Simulator, HttpClient Http)> StartAsync(string? apiKey = null)
    {
        var simulator = new MetabaseSimulator();
        await simulator.StartAsync(Ct);
        var http = new HttpClient { BaseAddress = simulator.BaseAddress };
        http.DefaultRequestHeaders.Add("x-api-key", apiKey ?? simulator.ApiKey);
        return (simulator, http);
    }

    private static async Task<(HttpStatusCode Status, string ContentType, string Body)> SendAsync(HttpClient http, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await http.SendAsync(request, Ct);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType ?? string.Empty, await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Request_BadApiKey_Answers401PlainTextUnauthenticated()
    {
        var (simulator, http) = await StartAsync("nope");
        await using var _ = simulator;
        using var __ = http;

        var (status, type, body) = await SendAsync(http, HttpMethod.Get, "api/user");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("text/plain", type);
        Assert.Equal("Unauthenticated", body);
    }

    [Fact]
    public async Task Request_NonAdminKey_Answers403PlainText()
    {
        var (simulator, http) = await StartAsync("reader");
        await using var _ = simulator;
        using var __ = http;
        simulator.AddApiKey("reader", isAdmin: false);

        var (status, type, body) = await SendAsync(http, HttpMethod.Get, "api/permissions/group");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("text/plain", type);
        Assert.Equal("You don't have permissions to do that.", body);
    }

    [Fact]
    public async Task Session_LoginWithEmailKey_Answers400OnUsername()
    {
        var (simulator, http) = await StartAsync();
        await using var _ = simulator;
        using var __ = http;

        var (status, _, body) = await SendAsync(http, HttpMethod.Post, "api/session", new { email = simulator.AdminEmail, password = simulator.AdminPassword });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("""{"errors":{"username":"value must be a non-blank string."}}""", body);
    }

    [Fact]
    public async Task Session_Login_GivesATokenUsableInXMetabaseSession()
    {
        var (simulator, http) = await StartAsync();
        await using var _ = simulator;
        using var __ = http;
        var (_, _, login) = await SendAsync(http, HttpMethod.Post, "api/session", new { username = simulator.AdminEmail.ToUpperInvariant(), password = simulator.AdminPassword });
        var token = JsonNode.Parse(login)!["id"]!.GetValue<string>();
        using var sessionHttp = new HttpClient { BaseAddress = simulator.BaseAddress };
        sessionHttp.DefaultRequestHeaders.Add("X-Metabase-Session", token);

        var (status, _, _) = await SendAsync(sessionHttp, HttpMethod.Get, "api/user");
        simulator.ExpireSessions();
        var (expired, _, body) = await SendAsync(sessionHttp, HttpMethod.Get, "api/user");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.Unauthorized, expired);
        Assert.Equal("Unauthenticated", body);
        Assert.Equal(1, simulator.LoginCount);
    }

    [Fact]
    public async Task ListUsers_DefaultsToActiveFuzzyQueryInEnvelopeWithGroupIds()
    {
        var (simulator, http) = await StartAsync();
        await using var _ = simulator;
        using var __ = http;
        var active = simulator.AddUser("Ann@Example.test", "Ann", "Smith");
        simulator.AddUser("joann@example.test", "Jo", "Ann", isActive: false);

        var (_, _, body) = await SendAsync(http, HttpMethod.Get, "api/user?query=ANN");
        var (_, _, all) = await SendAsync(http, HttpMethod.Get, "api/user?query=ann&status=all&limit=1&offset=1");

        var json = JsonNode.Parse(body)!;
        Assert.Equal(1, json["total"]!.GetValue<int>());
        Assert.Null(json["limit"]);
        var user = json["data"]![0]!;
        Assert.Equal(active, user["id"]!.GetValue<int>());
        Assert.Equal("ann@example.test", user["email"]!.GetValue<string>());
        Assert.Equal("[1]", user["group_ids"]!.ToJsonString());
        var paged = JsonNode.Parse(all)!;
        Assert.Equal(2, paged["total"]!.GetValue<int>());
        Assert.Equal(1, paged["limit"]!.GetValue<int>());
        Assert.Equal("Jo", paged["data"]![0]!["first_name"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetUser_ListsUserGroupMembershipsByGroupIdSorted()
    {
        var (simulator, http) = await StartAsync();
        await using var _ = simulator;
        using var __ = http;
        var b = simulator.CreateGroup("B");
        var a = simulator.CreateGroup("A");
        var user = simulator.AddUser("jane@example.test");
        simulator.AddUserToGroup(user, a);
        simulator.AddUserToGroup(user, b);

        var (_, _, body) = await SendAsync(http, HttpMethod.Get, $"api/user/{user}");
        var (missing, _, notFound) = await SendAsync(http, HttpMethod.Get, "api/user/99999");

        Assert.Equal($"[{{\"id\":1}},{{\"id\":{b}}},{{\"id\":{a}}}]", JsonNode.Parse(body)!["user_group_memberships"]!.ToJsonString());
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal("Not found.", notFound);
    }

    [Fact]
    public async Task CreateUser_DuplicateOfDeactivatedUser_Answers400JsonError()
    {
        var (simulator, http) = await StartAsync();
        await using var _ = simulator;
        using var __ = http;
        simulator.AddUser("jane@example.test", isActive: false);

        var (status, type, body) = await SendAsync(http, HttpMethod.Post, "api/user", new { email = "JANE@example.test" });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/json", type);
        Assert.Equal("""{"errors":{"email":"Email address already in use."}}""", body);
    }

    [Fact]
    public async Task CreateUser_AddsToAllUsersAndLowerCasesTheEmail()
    {
        var (simulator, http) = await StartAsync();
        await using var _ = simulator;
        using var __ = http;

        var (status, _, body) = await SendAsync(http, HttpMethod.Post, "api/user", new { email = "New.User@Example.test", first_name = "New", last_name = "User" });

        Assert.Equal(HttpStatusCode.OK, status);
        var json = JsonNode.Parse(body)!;
        Assert.Equal("new.user@example.test", json["email"]!.GetValue<string>());
        Assert.Equal("[{\"id\":1}]", json["user_group_memberships"]!.ToJsonString());
        Assert.Equal([MetabaseSimulator.AllUsersGroupId], simulator.GetGroupIdsOfUser(json["id"]!.GetValue<int>()));
    }

    [Fact]
    public async Task CreateUser_MembershipListWithoutAllUsers_Answers400()
    {
        var (simulator, http) = await StartAsync();
        await using var _ = simulator;
        using var __ = http;
        var group = simulator.CreateGroup("Acme");

        var (status, _, body) = await SendAsync(http, HttpMethod.Post, "api/user", new { email = "x@example.test", user_group_memberships = new[] { new { id = group } } });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("You cannot add or remove users to/from the 'All Users' group.", body);
        Assert.Null(simulator.FindUserByEmail("x@example.test"));
    }

    [Fact]
    public async Task Reactivate_ActiveUser_Answers400MessageAndDeactivatedUserComesBackWithoutAdmin()
    {
        var (simulator, http) = await StartAsync();
        await using var _ = simulator;
        using var __ = http;
        var active = simulator.AddUser("a@example.test");
        var inactive = simulator.AddUser("b@example.test", isActive: false, isSuperuser: true);

        var (status, _, body) = await SendAsync(http, HttpMethod.Put, $"api/user/{active}/reactivate");
        var (ok, _, _) = await SendAsync(http, HttpMethod.Put, $"api/user/{inactive}/reactivate");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("""{"message":"Not able to reactivate an active user"}""", body);
        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.Equal(new MetabaseSimulatorUser(inactive, "b@example.test", null, null, IsActive: true, IsSuperuser: false), simulator.GetUser(inactive));
        Assert.Equal([MetabaseSimulator.AllUsersGroupId], simulator.GetGroupIdsOfUser(inactive));
    }

    [Fact]
    public async Task Deactivate_AnswersSuccessAndKeepsMemberships()
    {
        var (simulator, http) = await StartAsync();
        await using var _ = simulator;
        using var __ = http;
        var group = simulator.CreateGroup("Acme");
        var user = simulator.AddUser("a@example.test");
        simulator.AddUserToGroup(user, group);

        var (status, _, body) = await SendAsync(http, HttpMethod.Delete, $"api/user/{user}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"success":true}""", body);
        Assert.False(simulator.GetUser(user)!.IsActive);
        Assert.Equal([1, group], simulator.GetGroupIdsOfUser(user));
    }

    [Fact]
    public async Task Groups_ListIsAnArrayWithTheMagicGroups()
    {
        var (simulator, http) = await StartAsync();
        await using var _ = simulator;
        using var __ = http;

        var (_, _, body) = await SendAsync(http, HttpMethod.Get, "api/permissions/group");

        var groups = JsonNode.Parse(body)!.AsArray();
        Assert.Contains(groups, g => g!["id"]!.GetValue<int>() == 1 && g["name"]!.GetValue<string>() == "All Users" && g["magic_group_type"]!.GetValue<string>() == "all-internal-users");
        Assert.Contains(groups, g => g!["id"]!.GetValue<int>() == 2 && g["name"]!.GetValue<string>() == "Administrators");
    }

    [Fact]
    public async Task CreateGroup_DuplicateName_Answers400PlainText()
    {
        var (simulator, http) = await StartAsync();
        await using var _ = simulator;
        using var __ = http;
        simulator.CreateGroup("Acme");

        var (status, _, body) = await SendAsync(http, HttpMethod.Post, "api/permissions/group", new { name = "ACME" });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("A group with that name already exists.", body);
    }

    [Fact]
    public async Task AddMembership_AnswersTheWholeMemberListAndDuplicateAnswers500()
    {
        var (simulator, http) = await StartAsync();
        await using var _ = simulator;
        using var __ = http;
        var group = simulator.CreateGroup("Acme");
        var first = simulator.AddUser("a@example.test");
        var second = simulator.AddUser("b@example.test");
        simulator.AddUserToGroup(first, group);

        var (status, _, body) = await SendAsync(http, HttpMethod.Post, "api/permissions/membership", new { group_id = group, user_id = second });
        var (duplicate, _, _) = await SendAsync(http, HttpMethod.Post, "api/permissions/membership", new { group_id = group, user_id = second });

        Assert.Equal(HttpStatusCode.OK, status);
        var members = JsonNode.Parse(body)!.AsArray();
        Assert.Equal([first, second], members.Select(m => m!["user_id"]!.GetValue<int>()));
        Assert.Equal(simulator.GetMembershipId(second, group), members[1]!["membership_id"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.InternalServerError, duplicate);
    }

    [Fact]
    public async Task AddOrRemoveMembership_AllUsers_Answers400PlainText()
    {
        var (simulator, http) = await StartAsync();
        await using var _ = simulator;
        using var __ = http;
        var user = simulator.AddUser("a@example.test");
        simulator.RemoveUserFromGroup(user, MetabaseSimulator.AllUsersGroupId);
        simulator.AddUserToGroup(user, MetabaseSimulator.AllUsersGroupId);
        var membership = simulator.GetMembershipId(user, MetabaseSimulator.AllUsersGroupId);

        var (added, _, addBody) = await SendAsync(http, HttpMethod.Post, "api/permissions/membership", new { group_id = 1, user_id = user });
        var (removed, _, removeBody) = await SendAsync(http, HttpMethod.Delete, $"api/permissions/membership/{membership}");

        Assert.Equal(HttpStatusCode.BadRequest, added);
        Assert.Equal(HttpStatusCode.BadRequest, removed);
        Assert.Equal("You cannot add or remove users to/from the 'All Users' group.", addBody);
        Assert.Equal(addBody, removeBody);
    }

    [Fact]
    public async Task Memberships_MapIsKeyedByUserIdStringAndDeleteAnswers204()
    {
        var (simulator, http) = await StartAsync();
        await using var _ = simulator;
        using var __ = http;
        var group = simulator.CreateGroup("Acme");
        var user = simulator.AddUser("a@example.test");
        simulator.AddUserToGroup(user, group);
        var membership = simulator.GetMembershipId(user, group)!.Value;

        var (_, _, body) = await SendAsync(http, HttpMethod.Get, "api/permissions/membership");
        var (deleted, _, _) = await SendAsync(http, HttpMethod.Delete, $"api/permissions/membership/{membership}");
        var (again, _, notFound) = await SendAsync(http, HttpMethod.Delete, $"api/permissions/membership/{membership}");

        var entries = JsonNode.Parse(body)![user.ToString(System.Globalization.CultureInfo.InvariantCulture)]!.AsArray();
        Assert.Contains(entries, e => e!["membership_id"]!.GetValue<int>() == membership && e["group_id"]!.GetValue<int>() == group && e["user_id"]!.GetValue<int>() == user);
        Assert.Equal(HttpStatusCode.NoContent, deleted);
        Assert.Equal(HttpStatusCode.NotFound, again);
        Assert.Equal("Not found.", notFound);
        Assert.Empty(simulator.GetGroupMembers(group));
    }

    [Fact]
    public async Task DropMembershipsSilently_AnswersOkWithTheUserButRecordsNothing()
    {
        var (simulator, http) = await StartAsync();
        await using var _ = simulator;
        using var __ = http;
        var group = simulator.CreateGroup("Acme");
        var user = simulator.AddUser("a@example.test");
        simulator.DropMembershipsSilently();

        var (status, _, body) = await SendAsync(http, HttpMethod.Post, "api/permissions/membership", new { group_id = group, user_id = user });
        var (_, _, read) = await SendAsync(http, HttpMethod.Get, $"api/user/{user}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(JsonNode.Parse(body)!.AsArray(), m => m!["user_id"]!.GetValue<int>() == user);
        Assert.Equal("[{\"id\":1}]", JsonNode.Parse(read)!["user_group_memberships"]!.ToJsonString());
        Assert.Empty(simulator.GetGroupMembers(group));
    }

    [Fact]
    public async Task UnknownEndpoint_Answers404()
    {
        var (simulator, http) = await StartAsync();
        await using var _ = simulator;
        using var __ = http;

        var (status, _, body) = await SendAsync(http, HttpMethod.Get, "api/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("API endpoint does not exist.", body);
    }

    [Fact]
    public async Task Seeding_ValidatesArguments()
    {
        await using var simulator = new MetabaseSimulator();
        simulator.AddUser("a@example.test");

        Assert.Throws<InvalidOperationException>(() => simulator.AddUser("A@EXAMPLE.TEST"));
        Assert.Throws<ArgumentException>(() => simulator.CreateGroup(" "));
        Assert.Throws<InvalidOperationException>(() => simulator.AddUserToGroup(4711, 1));
        Assert.Throws<InvalidOperationException>(() => simulator.DeleteGroup(MetabaseSimulator.AdministratorsGroupId));
        Assert.Throws<ArgumentOutOfRangeException>(() => simulator.DropMembershipsSilently(0));
    }
}
