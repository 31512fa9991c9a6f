using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace HyOpps.Testing.Metabase;

public sealed partial class MetabaseSimulator
{
    private const string Unauthenticated = "Unauthenticated";
    private const string Forbidden = "You don't have permissions to do that.";
    private const string NotFoundText = "Not found.";
    private const string AllUsersChange = "You cannot add or remove users to/from the 'All Users' group.";

    /// <inheritdoc />
    protected override void MapEndpoints(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/api/health", Handle(_ => Json(new JsonObject { ["status"] = "ok" })));
        app.MapPost("/api/session", HandleAsync(LoginAsync));
        app.MapDelete("/api/session", Handle(c => Authorized(c, false, _ => Results.StatusCode(204))));

        app.MapGet("/api/user", Handle(c => Authorized(c, true, _ => ListUsers(c.Request.Query))));
        app.MapGet("/api/user/current", Handle(c => Authorized(c, false, caller => caller.UserId is { } id ? GetUserResult(id) : NotFound())));
        app.MapGet("/api/user/{id:int}", Handle(c => Authorized(c, false, caller =>
            caller.IsSuperuser || caller.UserId == RouteId(c) ? GetUserResult(RouteId(c)) : Text(403, Forbidden))));
        app.MapPost("/api/user", HandleAsync(c => AuthorizedAsync(c, true, CreateUser)));
        app.MapPut("/api/user/{id:int}", HandleAsync(c => AuthorizedAsync(c, true, body => UpdateUser(RouteId(c), body))));
        app.MapPut("/api/user/{id:int}/reactivate", Handle(c => Authorized(c, true, _ => ReactivateUser(RouteId(c)))));
        app.MapDelete("/api/user/{id:int}", Handle(c => Authorized(c, true, _ => DeactivateUserResult(RouteId(c)))));

        app.MapGet("/api/permissions/group", Handle(c => Authorized(c, true, _ => ListGroups(c.Request.Query))));
        app.MapGet("/api/permissions/group/{id:int}", Handle(c => Authorized(c, true, _ => GetGroupResult(RouteId(c)))));
        app.MapPost("/api/permissions/group", HandleAsync(c => AuthorizedAsync(c, true, CreateGroupResult)));
        app.MapDelete("/api/permissions/group/{id:int}", Handle(c => Authorized(c, true, _ => DeleteGroupResult(RouteId(c)))));

        app.MapGet("/api/permissions/membership", Handle(c => Authorized(c, true, _ => ListMemberships())));
        app.MapPost("/api/permissions/membership", HandleAsync(c => AuthorizedAsync(c, true, AddMembership)));
        app.MapDelete("/api/permissions/membership/{id:int}", Handle(c => Authorized(c, true, _ => DeleteMembership(RouteId(c)))));

        app.MapFallback(Handle(_ => Text(404, "API endpoint does not exist.")));
    }

    // Handlers are plain RequestDelegates that execute their IResult: a lambda returning Task<IResult> would otherwise
    // bind to RequestDelegate and its result would be dropped.
    private static RequestDelegate Handle(Func<HttpContext, IResult> handler) => context => handler(context).ExecuteAsync(context);

    private static RequestDelegate HandleAsync(Func<HttpContext, Task<IResult>> handler)
        => async context => await (await handler(context).ConfigureAwait(false)).ExecuteAsync(context).ConfigureAwait(false);

    private static int RouteId(HttpContext context)
        => int.Parse((string)context.Request.RouteValues["id"]!, NumberStyles.None, CultureInfo.InvariantCulture);

    private static IResult Text(int status, string text) => Results.Text(text, "text/plain; charset=utf-8", statusCode: status);

    private static IResult Json(JsonNode node, int status = 200) => Results.Text(node.ToJsonString(), "application/json; charset=utf-8", statusCode: status);

    private static IResult NotFound() => Text(404, NotFoundText);

    private static IResult FieldError(string field, string message) => Json(new JsonObject { ["errors"] = new JsonObject { [field] = message } }, 400);

    private Caller? Authenticate(HttpContext context)
    {
        var headers = context.Request.Headers;
        lock (SyncRoot)
        {
            if (headers.TryGetValue("x-api-key", out var key) && key.ToString() is { Length: > 0 } k)
            {
                return _apiKeys.TryGetValue(k, out var admin) ? new Caller(null, admin) : null;
            }

            if (headers.TryGetValue("X-Metabase-Session", out var session) && session.ToString() is { Length: > 0 } s
                && _sessions.TryGetValue(s, out var userId) && _users.TryGetValue(userId, out var user) && user.IsActive)
            {
                return new Caller(user.Id, user.IsSuperuser);
            }
        }

        return null;
    }

    private IResult Authorized(HttpContext context, bool superuser, Func<Caller, IResult> handler)
    {
        var caller = Authenticate(context);
        if (caller is null)
        {
            return Text(401, Unauthenticated);
        }

        if (superuser && !caller.IsSuperuser)
        {
            return Text(403, Forbidden);
        }

        lock (SyncRoot)
        {
            return handler(caller);
        }
    }

    private async Task<IResult> AuthorizedAsync(HttpContext context, bool superuser, Func<JsonObject, IResult> handler)
    {
        var caller = Authenticate(context);
        if (caller is null)
        {
            return Text(401, Unauthenticated);
        }

        if (superuser && !caller.IsSuperuser)
        {
            return Text(403, Forbidden);
        }

        var body = await ReadBodyAsync(context).ConfigureAwait(false);
        if (body is null)
        {
            return Text(400, "Malformed JSON in request body.");
        }

        lock (SyncRoot)
        {
            return handler(body);
        }
    }

    private static async Task<JsonObject?> ReadBodyAsync(HttpContext context)
    {
        try
        {
            var node = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            return node as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task<IResult> LoginAsync(HttpContext context)
    {
        var body = await ReadBodyAsync(context).ConfigureAwait(false);
        if (body is null)
        {
            return Text(400, "Malformed JSON in request body.");
        }

        var username = ReadString(body, "username");
        var password = ReadString(body, "password");
        if (string.IsNullOrWhiteSpace(username))
        {
            return FieldError("username", "value must be a non-blank string.");
        }

        if (string.IsNullOrWhiteSpace(password))
        {
            return FieldError("password", "value must be a non-blank string.");
        }

        lock (SyncRoot)
        {
            var user = FindUserLocked(username);
            if (user is null || !user.IsActive || user.Password is null || !string.Equals(user.Password, password, StringComparison.Ordinal))
            {
                return Json(new JsonObject { ["errors"] = new JsonObject { ["password"] = "did not match stored password" } }, 401);
            }

            var token = Guid.NewGuid().ToString();
            _sessions[token] = user.Id;
            user.LastLogin = TimeProvider.GetUtcNow();
            _loginCount++;
            return Json(new JsonObject { ["id"] = token });
        }
    }

    private IResult ListUsers(IQueryCollection query)
    {
        string? status = query["status"].FirstOrDefault();
        if (status is null && string.Equals(query["include_deactivated"].FirstOrDefault(), "true", StringComparison.OrdinalIgnoreCase))
        {
            status = "all";
        }

        status ??= "active";
        if (status is not ("active" or "deactivated" or "all"))
        {
            return FieldError("status", "nullable enum of active, deactivated, all");
        }

        IEnumerable<UserRecord> users = _users.Values;
        users = status switch
        {
            "active" => users.Where(u => u.IsActive),
            "deactivated" => users.Where(u => !u.IsActive),
            _ => users,
        };

        if (query["query"].FirstOrDefault() is { Length: > 0 } text)
        {
            users = users.Where(u => Contains(u.FirstName, text) || Contains(u.LastName, text) || Contains(u.Email, text));
        }

        if (query["group_id"].FirstOrDefault() is { } groupText)
        {
            if (!int.TryParse(groupText, NumberStyles.None, CultureInfo.InvariantCulture, out var groupId))
            {
                return FieldError("group_id", "nullable value must be an integer greater than zero.");
            }

            users = users.Where(u => FindMembershipLocked(u.Id, groupId) is not null);
        }

        var matches = users
            .OrderBy(u => u.FirstName?.ToLowerInvariant(), StringComparer.Ordinal)
            .ThenBy(u => u.LastName?.ToLowerInvariant(), StringComparer.Ordinal)
            .ThenBy(u => u.Id)
            .ToList();
        int? limit = ParseOptionalInt(query["limit"].FirstOrDefault());
        int? offset = ParseOptionalInt(query["offset"].FirstOrDefault());
        IEnumerable<UserRecord> page = matches.Skip(offset ?? 0);
        if (limit is { } l)
        {
            page = page.Take(l);
        }

        var data = new JsonArray();
        foreach (var user in page)
        {
            var json = UserJson(user);
            json["group_ids"] = new JsonArray([.. GroupIdsLocked(user.Id).Select(id => (JsonNode)id)]);
            data.Add(json);
        }

        return Json(new JsonObject
        {
            ["data"] = data,
            ["total"] = matches.Count,
            ["limit"] = limit,
            ["offset"] = offset,
        });

        static bool Contains(string? value, string text) => value?.Contains(text, StringComparison.OrdinalIgnoreCase) == true;
    }

    private static int? ParseOptionalInt(string? text)
        => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    private IResult GetUserResult(int id)
        => _users.TryGetValue(id, out var user) ? Json(UserWithMembershipsJson(user)) : NotFound();

    private IResult CreateUser(JsonObject body)
    {
        var email = ReadString(body, "email");
        if (email is null || !IsEmail(email))
        {
            return FieldError("email", "value must be a valid email address.");
        }

        foreach (var field in (string[])["first_name", "last_name"])
        {
            if (body.TryGetPropertyValue(field, out var value) && value is not null
                && (value.GetValueKind() != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetValue<string>())))
            {
                return FieldError(field, "value may be nil, or if non-nil, value must be a non-blank string.");
            }
        }

        if (FindUserLocked(email) is not null)
        {
            return FieldError("email", "Email address already in use.");
        }

        int[]? groupIds = null;
        if (body["user_group_memberships"] is JsonArray requested)
        {
            var error = ReadGroupIds(requested, out groupIds);
            if (error is not null)
            {
                return error;
            }

            // The list replaces the new user's groups, which already hold All Users: leaving it out means removing it.
            if (!groupIds!.Contains(AllUsersGroupId))
            {
                return Text(400, AllUsersChange);
            }
        }

        var user = CreateUserLocked(email, ReadString(body, "first_name"), ReadString(body, "last_name"), ReadString(body, "password"));
        foreach (var groupId in groupIds ?? [])
        {
            if (FindMembershipLocked(user.Id, groupId) is null)
            {
                AddMembershipLocked(user.Id, groupId);
            }
        }

        return Json(UserWithMembershipsJson(user));
    }

    private IResult UpdateUser(int id, JsonObject body)
    {
        if (!_users.TryGetValue(id, out var user) || !user.IsActive)
        {
            return NotFound();
        }

        if (ReadString(body, "email") is { } email)
        {
            if (!IsEmail(email))
            {
                return FieldError("email", "value must be a valid email address.");
            }

            if (FindUserLocked(email) is { } other && other.Id != id)
            {
                return FieldError("email", "Email address already associated to another user.");
            }
        }

        int[]? groupIds = null;
        if (body["user_group_memberships"] is JsonArray requested)
        {
            var error = ReadGroupIds(requested, out groupIds);
            if (error is not null)
            {
                return error;
            }

            if (!groupIds!.Contains(AllUsersGroupId))
            {
                return Text(400, AllUsersChange);
            }
        }

        if (ReadString(body, "email") is { } newEmail)
        {
            user.Email = newEmail.Trim().ToLowerInvariant();
        }

        if (body.ContainsKey("first_name"))
        {
            user.FirstName = ReadString(body, "first_name");
        }

        if (body.ContainsKey("last_name"))
        {
            user.LastName = ReadString(body, "last_name");
        }

        if (groupIds is not null)
        {
            foreach (var membership in _memberships.Where(m => m.UserId == id && !groupIds.Contains(m.GroupId)).ToList())
            {
                RemoveMembershipLocked(membership);
            }

            foreach (var groupId in groupIds.Where(g => FindMembershipLocked(id, g) is null))
            {
                AddMembershipLocked(id, groupId);
            }
        }

        user.UpdatedAt = TimeProvider.GetUtcNow();
        return Json(UserWithMembershipsJson(user));
    }

    private IResult? ReadGroupIds(JsonArray requested, out int[] groupIds)
    {
        var ids = new List<int>();
        foreach (var entry in requested)
        {
            if (entry is not JsonObject o || o["id"] is not JsonValue v || !v.TryGetValue<int>(out var groupId))
            {
                groupIds = [];
                return FieldError("user_group_memberships", "nullable sequence of map where {:id -> integer greater than zero, :is_group_manager (optional) -> nullable boolean}");
            }

            if (!_groups.ContainsKey(groupId))
            {
                groupIds = [];
                return NotFound();
            }

            ids.Add(groupId);
        }

        groupIds = [.. ids.Distinct()];
        return null;
    }

    private IResult ReactivateUser(int id)
    {
        if (!_users.TryGetValue(id, out var user))
        {
            return NotFound();
        }

        if (user.IsActive)
        {
            return Json(new JsonObject { ["message"] = "Not able to reactivate an active user" }, 400);
        }

        user.IsActive = true;
        if (FindMembershipLocked(id, AdministratorsGroupId) is { } admin)
        {
            RemoveMembershipLocked(admin);
        }

        user.IsSuperuser = false;
        user.UpdatedAt = TimeProvider.GetUtcNow();
        return Json(UserWithMembershipsJson(user));
    }

    private IResult DeactivateUserResult(int id)
    {
        if (!_users.TryGetValue(id, out var user))
        {
            return NotFound();
        }

        if (user.IsActive && user.IsSuperuser && _users.Values.Count(u => u.IsActive && u.IsSuperuser) == 1)
        {
            return Text(400, "You cannot deactivate the last admin.");
        }

        user.IsActive = false;
        user.UpdatedAt = TimeProvider.GetUtcNow();
        return Json(new JsonObject { ["success"] = true });
    }

    private IResult ListGroups(IQueryCollection query)
    {
        IEnumerable<GroupRecord> groups = _groups.Values.OrderBy(g => g.Name, StringComparer.OrdinalIgnoreCase).ThenBy(g => g.Id);
        if (ParseOptionalInt(query["offset"].FirstOrDefault()) is { } offset)
        {
            groups = groups.Skip(offset);
        }

        if (ParseOptionalInt(query["limit"].FirstOrDefault()) is { } limit)
        {
            groups = groups.Take(limit);
        }

        return Json(new JsonArray([.. groups.Select(g => (JsonNode)GroupJson(g))]));
    }

    private IResult GetGroupResult(int id)
    {
        if (!_groups.TryGetValue(id, out var group))
        {
            return NotFound();
        }

        var json = GroupJson(group);
        json["members"] = MembersJson(id);
        return Json(json);
    }

    private IResult CreateGroupResult(JsonObject body)
    {
        var name = ReadString(body, "name");
        if (string.IsNullOrWhiteSpace(name))
        {
            return FieldError("name", "value must be a non-blank string.");
        }

        if (_groups.Values.Any(g => string.Equals(g.Name, name.Trim(), StringComparison.OrdinalIgnoreCase)))
        {
            return Text(400, "A group with that name already exists.");
        }

        var group = new GroupRecord(_nextGroupId++, name.Trim(), null);
        _groups[group.Id] = group;
        return Json(GroupJson(group));
    }

    private IResult DeleteGroupResult(int id)
    {
        if (!_groups.TryGetValue(id, out var group))
        {
            return NotFound();
        }

        if (group.MagicGroupType is not null)
        {
            return Text(400, $"You cannot edit or delete the '{group.Name}' permissions group!");
        }

        _groups.Remove(id);
        _memberships.RemoveAll(m => m.GroupId == id);
        return Results.StatusCode(204);
    }

    private IResult ListMemberships()
    {
        var map = new JsonObject();
        foreach (var byUser in _memberships.GroupBy(m => m.UserId).OrderBy(g => g.Key))
        {
            map[byUser.Key.ToString(CultureInfo.InvariantCulture)] = new JsonArray([.. byUser.OrderBy(m => m.Id).Select(m => (JsonNode)new JsonObject
            {
                ["membership_id"] = m.Id,
                ["group_id"] = m.GroupId,
                ["user_id"] = m.UserId,
                ["is_group_manager"] = false,
            })]);
        }

        return Json(map);
    }

    private IResult AddMembership(JsonObject body)
    {
        if (body["group_id"] is not JsonValue g || !g.TryGetValue<int>(out var groupId) || groupId <= 0)
        {
            return FieldError("group_id", "value must be an integer greater than zero.");
        }

        if (body["user_id"] is not JsonValue u || !u.TryGetValue<int>(out var userId) || userId <= 0)
        {
            return FieldError("user_id", "value must be an integer greater than zero.");
        }

        if (body["is_group_manager"] is JsonValue m && m.TryGetValue<bool>(out var manager) && manager)
        {
            return Text(400, "Group manager is only enabled if you have a premium token with the advanced-permissions feature.");
        }

        if (!_groups.ContainsKey(groupId) || !_users.TryGetValue(userId, out var user))
        {
            return NotFound();
        }

        if (groupId == AllUsersGroupId)
        {
            return Text(400, AllUsersChange);
        }

        if (FindMembershipLocked(userId, groupId) is not null)
        {
            return Json(
                new JsonObject { ["message"] = "ERROR: duplicate key value violates unique constraint \"unique_permissions_group_membership_user_id_group_id\"" },
                500);
        }

        if (_membershipsToDrop > 0)
        {
            _membershipsToDrop--;
            var members = MembersJson(groupId);
            if (user.IsActive)
            {
                members.Add(MemberJson(user, _nextMembershipId++, groupId));
            }

            return Json(members);
        }

        AddMembershipLocked(userId, groupId);
        return Json(MembersJson(groupId));
    }

    private IResult DeleteMembership(int id)
    {
        var membership = _memberships.FirstOrDefault(m => m.Id == id);
        if (membership is null)
        {
            return NotFound();
        }

        if (membership.GroupId == AllUsersGroupId)
        {
            return Text(400, AllUsersChange);
        }

        if (membership.GroupId == AdministratorsGroupId && _memberships.Count(m => m.GroupId == AdministratorsGroupId) == 1)
        {
            return Text(400, "You cannot remove the last member of the 'Admin' group!");
        }

        RemoveMembershipLocked(membership);
        return Results.StatusCode(204);
    }

    private JsonObject UserJson(UserRecord user) => new()
    {
        ["id"] = user.Id,
        ["email"] = user.Email,
        ["first_name"] = user.FirstName,
        ["last_name"] = user.LastName,
        ["common_name"] = user.CommonName,
        ["date_joined"] = user.DateJoined.ToString("O", CultureInfo.InvariantCulture),
        ["last_login"] = user.LastLogin?.ToString("O", CultureInfo.InvariantCulture),
        ["updated_at"] = user.UpdatedAt.ToString("O", CultureInfo.InvariantCulture),
        ["is_superuser"] = user.IsSuperuser,
        ["is_qbnewb"] = true,
        ["is_active"] = user.IsActive,
        ["sso_source"] = null,
        ["login_attributes"] = null,
        ["locale"] = null,
        ["personal_collection_id"] = user.Id + 1000,
    };

    private JsonObject UserWithMembershipsJson(UserRecord user)
    {
        var json = UserJson(user);
        json["user_group_memberships"] = new JsonArray([.. GroupIdsLocked(user.Id).Select(id => (JsonNode)new JsonObject { ["id"] = id })]);
        return json;
    }

    private JsonObject GroupJson(GroupRecord group) => new()
    {
        ["id"] = group.Id,
        ["name"] = group.Name,
        ["member_count"] = _memberships.Count(m => m.GroupId == group.Id && _users.TryGetValue(m.UserId, out var u) && u.IsActive),
        ["magic_group_type"] = group.MagicGroupType,
    };

    private JsonArray MembersJson(int groupId)
        => new([.. _memberships
            .Where(m => m.GroupId == groupId && _users[m.UserId].IsActive)
            .OrderBy(m => m.UserId)
            .Select(m => (JsonNode)MemberJson(_users[m.UserId], m.Id, groupId))]);

    private static JsonObject MemberJson(UserRecord user, int membershipId, int groupId) => new()
    {
        ["user_id"] = user.Id,
        ["first_name"] = user.FirstName,
        ["last_name"] = user.LastName,
        ["email"] = user.Email,
        ["common_name"] = user.CommonName,
        ["membership_id"] = membershipId,
        ["group_id"] = groupId,
        ["is_superuser"] = user.IsSuperuser,
        ["is_group_manager"] = false,
    };

    private static string? ReadString(JsonObject body, string name)
        => body[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static bool IsEmail(string email)
    {
        var at = email.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at < email.Length - 1 && email.IndexOf('@', at + 1) < 0 && !email.Any(char.IsWhiteSpace);
    }

    private sealed record Caller(int? UserId, bool IsSuperuser);
}
