using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace HyOpps.Testing.Slack;

/// <content>The Web API endpoint: transport, authentication, scopes and the methods.</content>
public sealed partial class SlackSimulator
{
    private static readonly Dictionary<string, string> RequiredScopes = new(StringComparer.Ordinal)
    {
        ["users.lookupByEmail"] = "users:read.email",
        ["users.info"] = "users:read",
        ["usergroups.list"] = "usergroups:read",
        ["usergroups.users.list"] = "usergroups:read",
        ["usergroups.users.update"] = "usergroups:write",
        ["conversations.invite"] = string.Empty, // depends on the channel's type and the token's kind: checked by the method
        ["admin.users.invite"] = "admin.users:write",
        ["chat.postMessage"] = "chat:write",
    };

    /// <inheritdoc />
    protected override void MapEndpoints(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Map("/api/{method}", HandleAsync);
    }

    private static bool Flag(Dictionary<string, string> args, string name)
        => args.TryGetValue(name, out var value) && (value == "1" || string.Equals(value, "true", StringComparison.OrdinalIgnoreCase));

    private static List<string> SplitIds(Dictionary<string, string> args, string name)
        => args.TryGetValue(name, out var value)
            ? [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
            : [];

    private static JsonObject Ok(JsonObject? fields = null)
    {
        var result = new JsonObject { ["ok"] = true };
        foreach (var (key, value) in fields ?? [])
        {
            result[key] = value?.DeepClone();
        }

        return result;
    }

    private static JsonObject Error(string error) => new() { ["ok"] = false, ["error"] = error };

    private static string JsonArgument(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        // Id lists (users) join as Slack's comma-separated form; structured arrays (blocks) stay JSON, as a form post sends them.
        JsonValueKind.Array when value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
            => string.Join(',', value.EnumerateArray().Select(JsonArgument)),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => string.Empty,
        _ => value.GetRawText(),
    };

    private async Task HandleAsync(HttpContext http)
    {
        var method = (string)http.Request.RouteValues["method"]!;
        var request = await ReadRequestAsync(http).ConfigureAwait(false);

        if (BeforeMethod is { } hook)
        {
            await hook(method, http.RequestAborted).ConfigureAwait(false);
        }

        JsonObject result;
        lock (SyncRoot)
        {
            result = request.Error is { } transportError ? Error(transportError) : Dispatch(method, request.Token, request.Args);
            var ok = result["ok"]?.GetValue<bool>() == true;
            _calls.Add(new SlackSimulatorCall(
                method,
                http.Request.Method,
                new Dictionary<string, string>(request.Args, StringComparer.Ordinal),
                request.TokenFromHeader,
                ok,
                ok ? null : result["error"]?.GetValue<string>()));
        }

        if (request.Warning is { } warning)
        {
            result["warning"] = warning;
            result["response_metadata"] = new JsonObject { ["warnings"] = new JsonArray(warning) };
        }

        http.Response.StatusCode = result["error"]?.GetValue<string>() == "unknown_method" ? StatusCodes.Status404NotFound : StatusCodes.Status200OK;
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.WriteAsync(result.ToJsonString(), http.RequestAborted).ConfigureAwait(false);
    }

    private static async Task<ParsedRequest> ReadRequestAsync(HttpContext http)
    {
        var args = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in http.Request.Query)
        {
            args[key] = value.ToString();
        }

        string? bodyToken = null;
        string? warning = null;
        string? error = null;
        var isJson = false;
        if (!string.IsNullOrEmpty(http.Request.ContentType) && (http.Request.ContentLength > 0 || http.Request.Headers.TransferEncoding.Count > 0))
        {
            if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var contentType))
            {
                error = "invalid_post_type";
            }
            else if (string.Equals(contentType.MediaType, "application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
                || string.Equals(contentType.MediaType, "multipart/form-data", StringComparison.OrdinalIgnoreCase))
            {
                if (contentType.CharSet is not null)
                {
                    warning = "superfluous_charset";
                }

                var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
                foreach (var (key, value) in form)
                {
                    args[key] = value.ToString();
                }

                bodyToken = form.TryGetValue("token", out var token) ? token.ToString() : null;
            }
            else if (string.Equals(contentType.MediaType, "application/json", StringComparison.OrdinalIgnoreCase))
            {
                isJson = true;
                if (contentType.CharSet is null)
                {
                    warning = "missing_charset";
                }

                try
                {
                    using var document = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted).ConfigureAwait(false);
                    if (document.RootElement.ValueKind != JsonValueKind.Object)
                    {
                        error = "json_not_object";
                    }
                    else
                    {
                        foreach (var property in document.RootElement.EnumerateObject())
                        {
                            args[property.Name] = JsonArgument(property.Value);
                        }
                    }
                }
                catch (JsonException)
                {
                    error = "invalid_json";
                }
            }
            else
            {
                error = "invalid_post_type";
            }
        }

        // Slack ignores a token inside a JSON body: JSON callers must send the Authorization header.
        args.Remove("token");
        string? headerToken = null;
        if (AuthenticationHeaderValue.TryParse(http.Request.Headers.Authorization.ToString(), out var authorization)
            && string.Equals(authorization.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase)
            && !string.IsNullOrWhiteSpace(authorization.Parameter))
        {
            headerToken = authorization.Parameter;
        }

        return new ParsedRequest(args, headerToken ?? (isJson ? null : bodyToken), headerToken is not null, warning, error);
    }

    private JsonObject Dispatch(string method, string? token, Dictionary<string, string> args)
    {
        if (!RequiredScopes.TryGetValue(method, out var scope))
        {
            return Error("unknown_method");
        }

        if (token is null)
        {
            return Error("not_authed");
        }

        if (!_tokens.TryGetValue(token, out var caller))
        {
            return Error("invalid_auth");
        }

        if (caller.Revoked)
        {
            return Error("token_revoked");
        }

        if (method.StartsWith("admin.", StringComparison.Ordinal) && caller.IsBot)
        {
            return Error("not_allowed_token_type");
        }

        if (scope.Length > 0 && !caller.Scopes.Contains(scope))
        {
            return MissingScope(caller, scope);
        }

        return method switch
        {
            "users.lookupByEmail" => LookupByEmail(args),
            "users.info" => UserInfo(args),
            "usergroups.list" => ListUserGroups(args),
            "usergroups.users.list" => ListUserGroupUsers(args),
            "usergroups.users.update" => UpdateUserGroupUsers(caller, args),
            "conversations.invite" => InviteToConversation(caller, args),
            "admin.users.invite" => InviteToWorkspace(args),
            "chat.postMessage" => PostMessage(caller, args),
            _ => Error("unknown_method"),
        };
    }

    private static JsonObject MissingScope(TokenInfo caller, string needed)
    {
        var result = Error("missing_scope");
        result["needed"] = needed;
        result["provided"] = string.Join(',', caller.Scopes.Order(StringComparer.Ordinal));
        return result;
    }

    private JsonObject LookupByEmail(Dictionary<string, string> args)
    {
        if (!args.TryGetValue("email", out var email) || string.IsNullOrWhiteSpace(email))
        {
            return Error("invalid_arguments");
        }

        var user = FindUser(email);
        if (user is null && _pendingInvites.TryGetValue(email.Trim(), out var invite) && ++invite.Lookups > InvitationAcceptedAfterLookups)
        {
            user = Accept(invite);
        }

        if (user is null && CreateUnknownUsersOnLookup && !_pendingInvites.ContainsKey(email.Trim()))
        {
            user = CreateUser(email.Trim(), null, SlackSimulatorUserKind.Member);
        }

        return user is null ? Error("users_not_found") : Ok(new JsonObject { ["user"] = UserJson(user) });
    }

    private JsonObject UserInfo(Dictionary<string, string> args)
    {
        if (!args.TryGetValue("user", out var id) || string.IsNullOrWhiteSpace(id))
        {
            return Error("invalid_arguments");
        }

        return _users.TryGetValue(id.Trim(), out var user) ? Ok(new JsonObject { ["user"] = UserJson(user) }) : Error("user_not_found");
    }

    private JsonObject ListUserGroups(Dictionary<string, string> args)
    {
        var includeUsers = Flag(args, "include_users");
        var includeCount = Flag(args, "include_count");
        var includeDisabled = Flag(args, "include_disabled");
        var groups = new JsonArray();
        foreach (var group in _groups.Values.Where(g => includeDisabled || g.DateDelete == 0))
        {
            var json = GroupJson(group, includeUsers);
            if (!includeCount)
            {
                json.Remove("user_count");
            }

            groups.Add(json);
        }

        return Ok(new JsonObject { ["usergroups"] = groups });
    }

    private JsonObject ListUserGroupUsers(Dictionary<string, string> args)
    {
        if (!args.TryGetValue("usergroup", out var id) || string.IsNullOrWhiteSpace(id))
        {
            return Error("invalid_arguments");
        }

        return _groups.TryGetValue(id, out var group)
            ? Ok(new JsonObject { ["users"] = new JsonArray([.. group.Members.Select(m => JsonValue.Create(m))]) })
            : Error("no_such_subteam");
    }

    private JsonObject UpdateUserGroupUsers(TokenInfo caller, Dictionary<string, string> args)
    {
        if (!args.TryGetValue("usergroup", out var id) || string.IsNullOrWhiteSpace(id))
        {
            return Error("invalid_arguments");
        }

        if (!_groups.TryGetValue(id, out var group))
        {
            return Error("no_such_subteam");
        }

        if (_writePolicy == SlackUsergroupWritePolicy.AdminsOnly && !caller.IsWorkspaceAdmin)
        {
            return Error("permission_denied");
        }

        var ids = SplitIds(args, "users").Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0)
        {
            return Error("no_users_provided");
        }

        foreach (var userId in ids)
        {
            if (!_users.TryGetValue(userId, out var user) || user.Deleted)
            {
                return Error("invalid_users");
            }

            switch (user.Kind)
            {
                case SlackSimulatorUserKind.Bot or SlackSimulatorUserKind.MultiChannelGuest:
                    return Error("invalid_user");
                case SlackSimulatorUserKind.SingleChannelGuest:
                    return Error("single_channel_guests_cannot_be_added");
            }
        }

        group.Members = ids;
        var response = Ok(new JsonObject { ["usergroup"] = GroupJson(group, includeUsers: true) });

        // Another client writing right after us: the response shows our list, the stored state is theirs.
        if (ConcurrentWriter?.Invoke(group.Id, [.. group.Members]) is { } replaced)
        {
            group.Members = [.. replaced.Distinct(StringComparer.Ordinal)];
        }

        return response;
    }

    private JsonObject InviteToConversation(TokenInfo caller, Dictionary<string, string> args)
    {
        if (!args.TryGetValue("channel", out var channelId) || !_channels.TryGetValue(channelId, out var channel))
        {
            return Error("channel_not_found");
        }

        string[] accepted = channel.IsPrivate ? ["groups:write"] : caller.IsBot ? ["channels:manage"] : ["channels:write"];
        if (!accepted.Any(caller.Scopes.Contains))
        {
            return MissingScope(caller, accepted[0]);
        }

        if (channel.Archived)
        {
            return Error("is_archived");
        }

        if (caller.IsBot && !channel.AppIsMember)
        {
            return Error("not_in_channel");
        }

        var ids = SplitIds(args, "users");
        if (ids.Count == 0)
        {
            return Error("no_user");
        }

        var errors = new JsonArray();
        var toAdd = new List<string>();
        foreach (var userId in ids)
        {
            var error = !_users.TryGetValue(userId, out var user) || user.Deleted ? "user_not_found"
                : channel.Members.Contains(userId) ? "already_in_channel"
                : user.Kind == SlackSimulatorUserKind.SingleChannelGuest ? "user_is_restricted"
                : null;
            if (error is null)
            {
                toAdd.Add(userId);
            }
            else
            {
                errors.Add(new JsonObject { ["user"] = userId, ["ok"] = false, ["error"] = error });
            }
        }

        if (errors.Count > 0 && !Flag(args, "force"))
        {
            var result = Error(errors[0]!["error"]!.GetValue<string>());
            if (ids.Count > 1)
            {
                result["errors"] = errors;
            }

            return result;
        }

        channel.Members.AddRange(toAdd);
        return Ok(new JsonObject
        {
            ["channel"] = new JsonObject
            {
                ["id"] = channel.Id,
                ["name"] = channel.Name,
                ["is_channel"] = !channel.IsPrivate,
                ["is_group"] = channel.IsPrivate,
                ["is_private"] = channel.IsPrivate,
                ["is_archived"] = channel.Archived,
            },
        });
    }

    private JsonObject InviteToWorkspace(Dictionary<string, string> args)
    {
        if (!EnterpriseGrid)
        {
            return Error("feature_not_enabled");
        }

        if (!args.TryGetValue("team_id", out var teamId) || !args.ContainsKey("email") || !args.ContainsKey("channel_ids"))
        {
            return Error("invalid_arguments");
        }

        if (!string.Equals(teamId, TeamId, StringComparison.Ordinal))
        {
            return Error("team_not_found");
        }

        var email = args["email"].Trim();
        if (email.Length < 3 || !email.Contains('@', StringComparison.Ordinal))
        {
            return Error("invalid_email");
        }

        var channels = SplitIds(args, "channel_ids");
        if (channels.Count == 0 || channels.Any(c => !_channels.ContainsKey(c)))
        {
            return Error("failed_to_validate_channels");
        }

        if (FindUser(email) is not null)
        {
            return Error("already_in_team");
        }

        var realName = args.TryGetValue("real_name", out var name) && name.Length > 0 ? name : null;
        _invitations.Add(new SlackSimulatorInvitation(email, channels, realName));
        if (!_pendingInvites.ContainsKey(email))
        {
            _pendingInvites.Add(email, new PendingInvite(email, channels, realName));
        }

        return Ok();
    }

    private JsonObject UserJson(SimUser user) => new()
    {
        ["id"] = user.Id,
        ["team_id"] = TeamId,
        ["name"] = user.Email.Split('@')[0],
        ["deleted"] = user.Deleted,
        ["real_name"] = user.RealName,
        ["is_admin"] = user.Kind is SlackSimulatorUserKind.Admin or SlackSimulatorUserKind.Owner or SlackSimulatorUserKind.PrimaryOwner,
        ["is_owner"] = user.Kind is SlackSimulatorUserKind.Owner or SlackSimulatorUserKind.PrimaryOwner,
        ["is_primary_owner"] = user.Kind == SlackSimulatorUserKind.PrimaryOwner,
        ["is_bot"] = user.Kind == SlackSimulatorUserKind.Bot,
        ["is_app_user"] = false,
        ["is_restricted"] = user.Kind is SlackSimulatorUserKind.MultiChannelGuest or SlackSimulatorUserKind.SingleChannelGuest,
        ["is_ultra_restricted"] = user.Kind == SlackSimulatorUserKind.SingleChannelGuest,
        ["profile"] = new JsonObject
        {
            ["email"] = user.Email,
            ["real_name"] = user.RealName,
            ["display_name"] = user.RealName,
        },
    };

    private JsonObject GroupJson(SimGroup group, bool includeUsers)
    {
        var json = new JsonObject
        {
            ["id"] = group.Id,
            ["team_id"] = TeamId,
            ["is_usergroup"] = true,
            ["name"] = group.Handle,
            ["description"] = string.Empty,
            ["handle"] = group.Handle,
            ["date_delete"] = group.DateDelete,
            ["prefs"] = new JsonObject { ["channels"] = new JsonArray(), ["groups"] = new JsonArray() },
            ["user_count"] = group.Members.Count,
        };
        if (includeUsers)
        {
            json["users"] = new JsonArray([.. group.Members.Select(m => JsonValue.Create(m))]);
        }

        return json;
    }

    private sealed record ParsedRequest(Dictionary<string, string> Args, string? Token, bool TokenFromHeader, string? Warning, string? Error);
}
