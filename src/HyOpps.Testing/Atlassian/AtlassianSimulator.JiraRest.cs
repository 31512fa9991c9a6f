using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace HyOpps.Testing.Atlassian;

/// <summary>The site's Jira platform REST v3 user and group endpoints.</summary>
public sealed partial class AtlassianSimulator
{
    private static bool Matches(Account account, string query)
    {
        if (account.Email.StartsWith(query, StringComparison.OrdinalIgnoreCase)
            || account.DisplayName.StartsWith(query, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return account.DisplayName.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(w => w.StartsWith(query, StringComparison.OrdinalIgnoreCase));
    }

    private JsonObject UserJson(Account account)
    {
        var json = new JsonObject
        {
            ["self"] = new Uri(BaseAddress, $"rest/api/3/user?accountId={Uri.EscapeDataString(account.Id)}").AbsoluteUri,
            ["accountId"] = account.Id,
            ["accountType"] = account.AccountType,
        };
        if (!account.EmailHidden)
        {
            json["emailAddress"] = account.Email;
        }

        json["avatarUrls"] = new JsonObject { ["48x48"] = "https://avatar-management.example/default/48", ["24x24"] = "https://avatar-management.example/default/24" };
        json["displayName"] = account.DisplayName;
        json["active"] = account.Active;
        json["timeZone"] = "Etc/UTC";
        json["locale"] = "en_US";
        return json;
    }

    private JsonObject GroupJson(Group group) => new()
    {
        ["name"] = group.Name,
        ["groupId"] = group.Id,
        ["self"] = new Uri(BaseAddress, $"rest/api/3/group?groupId={Uri.EscapeDataString(group.Id)}").AbsoluteUri,
        ["users"] = new JsonObject { ["size"] = group.Members.Count, ["items"] = new JsonArray(), ["max-results"] = 50, ["start-index"] = 0, ["end-index"] = 0 },
        ["expand"] = "users",
    };

    private async Task SearchUsersAsync(HttpContext context)
    {
        if (!await RequireBasicAsync(context).ConfigureAwait(false))
        {
            return;
        }

        var query = context.Request.Query["query"].ToString().Trim();
        if (query.Length == 0 && string.IsNullOrEmpty(context.Request.Query["accountId"]))
        {
            await JiraErrorAsync(context, StatusCodes.Status400BadRequest, "The query parameter 'query' or 'accountId' is required.").ConfigureAwait(false);
            return;
        }

        var startAt = QueryInt(context, "startAt", 0);
        var maxResults = Math.Min(QueryInt(context, "maxResults", 50), 1000);
        JsonArray results;
        lock (SyncRoot)
        {
            if (!_canBrowseUsers)
            {
                results = [];
            }
            else
            {
                if (query.Length > 0)
                {
                    MaterialiseInvites(query);
                }

                var accountId = context.Request.Query["accountId"].ToString();
                results = new JsonArray(_accounts.Values
                    .Where(a => a.Active && (query.Length == 0 ? a.Id == accountId : Matches(a, query)))
                    .OrderBy(a => a.Sequence)
                    .Skip(startAt)
                    .Take(maxResults)
                    .Select(a => (JsonNode)UserJson(a))
                    .ToArray());
            }
        }

        await WriteJsonAsync(context, StatusCodes.Status200OK, results).ConfigureAwait(false);
    }

    private void MaterialiseInvites(string query)
    {
        foreach (var pending in _pending.Values.Where(p => p.Email.StartsWith(query, StringComparison.OrdinalIgnoreCase)).ToList())
        {
            pending.Searches++;
            if (pending.Searches >= _invitedAccountVisibleAfterSearches)
            {
                Materialise(pending);
            }
        }
    }

    private void Materialise(Pending pending)
    {
        _pending.Remove(pending.Email);
        var account = CreateAccount(pending.AccountId, pending.Email, null, emailHidden: false, active: true, "atlassian");
        foreach (var groupId in pending.Groups)
        {
            if (_groups.TryGetValue(groupId, out var group) && !group.Members.Contains(account.Id))
            {
                group.Members.Add(account.Id);
            }
        }
    }

    private async Task GetUserAsync(HttpContext context)
    {
        if (!await RequireBasicAsync(context).ConfigureAwait(false))
        {
            return;
        }

        var accountId = context.Request.Query["accountId"].ToString();
        JsonObject? json;
        lock (SyncRoot)
        {
            json = _accounts.TryGetValue(accountId, out var account) ? UserJson(account) : null;
        }

        if (json is null)
        {
            await JiraErrorAsync(context, StatusCodes.Status404NotFound, $"Specified user does not exist or you do not have required permissions").ConfigureAwait(false);
            return;
        }

        await WriteJsonAsync(context, StatusCodes.Status200OK, json).ConfigureAwait(false);
    }

    private async Task CreateUserAsync(HttpContext context)
    {
        if (!await RequireBasicAsync(context).ConfigureAwait(false) || !await RequireSiteAdminAsync(context).ConfigureAwait(false))
        {
            return;
        }

        var body = await ReadObjectAsync(context).ConfigureAwait(false);
        var email = body?["emailAddress"]?.GetValueKind() == JsonValueKind.String ? body["emailAddress"]!.GetValue<string>().Trim() : null;
        if (string.IsNullOrEmpty(email) || !email.Contains('@', StringComparison.Ordinal))
        {
            await JiraErrorAsync(context, StatusCodes.Status400BadRequest, null, "emailAddress", "You must specify a valid email address.").ConfigureAwait(false);
            return;
        }

        if (body!["products"] is not JsonArray)
        {
            await JiraErrorAsync(context, StatusCodes.Status400BadRequest, null, "products", "You must specify the products the user gets access to ([] for none).").ConfigureAwait(false);
            return;
        }

        JsonObject json;
        lock (SyncRoot)
        {
            var account = FindByEmail(email) ?? CreateAccount(NewAccountId(), email, null, emailHidden: false, active: true, "atlassian");
            json = UserJson(account);
        }

        await WriteJsonAsync(context, StatusCodes.Status201Created, json).ConfigureAwait(false);
    }

    private async Task BulkGroupsAsync(HttpContext context)
    {
        if (!await RequireBasicAsync(context).ConfigureAwait(false))
        {
            return;
        }

        var ids = context.Request.Query["groupId"].Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).ToList();
        var names = context.Request.Query["groupName"].Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).ToList();
        var startAt = QueryInt(context, "startAt", 0);
        var maxResults = Math.Max(1, QueryInt(context, "maxResults", 50));
        JsonObject page;
        lock (SyncRoot)
        {
            var matches = _groups.Values
                .Where(g => (ids.Count == 0 && names.Count == 0)
                    || ids.Contains(g.Id, StringComparer.OrdinalIgnoreCase)
                    || names.Contains(g.Name, StringComparer.OrdinalIgnoreCase))
                .OrderBy(g => g.Name, StringComparer.OrdinalIgnoreCase)
                .ToList();
            var values = matches.Skip(startAt).Take(maxResults).Select(g => (JsonNode)new JsonObject { ["name"] = g.Name, ["groupId"] = g.Id }).ToArray();
            page = new JsonObject
            {
                ["maxResults"] = maxResults,
                ["startAt"] = startAt,
                ["total"] = matches.Count,
                ["isLast"] = startAt + values.Length >= matches.Count,
                ["values"] = new JsonArray(values),
            };
        }

        await WriteJsonAsync(context, StatusCodes.Status200OK, page).ConfigureAwait(false);
    }

    private async Task GroupMembersAsync(HttpContext context)
    {
        if (!await RequireBasicAsync(context).ConfigureAwait(false))
        {
            return;
        }

        if (!await RequireBrowseUsersAsync(context).ConfigureAwait(false))
        {
            return;
        }

        var startAt = QueryInt(context, "startAt", 0);
        var maxResults = Math.Clamp(QueryInt(context, "maxResults", MaxMemberPageSize), 1, MaxMemberPageSize);
        var includeInactive = string.Equals(context.Request.Query["includeInactiveUsers"], "true", StringComparison.OrdinalIgnoreCase);
        JsonObject? page = null;
        string? error;
        lock (SyncRoot)
        {
            var group = ResolveGroup(context, out error);
            if (group is not null)
            {
                var members = group.Members.Select(id => _accounts[id]).Where(a => includeInactive || a.Active).ToList();
                var values = members.Skip(startAt).Take(maxResults).Select(a => (JsonNode)UserJson(a)).ToArray();
                var isLast = startAt + values.Length >= members.Count;
                page = new JsonObject
                {
                    ["self"] = new Uri(BaseAddress, "rest/api/3/group/member" + context.Request.QueryString).AbsoluteUri,
                    ["maxResults"] = maxResults,
                    ["startAt"] = startAt,
                    ["total"] = members.Count,
                    ["isLast"] = isLast,
                    ["values"] = new JsonArray(values),
                };
                if (!isLast)
                {
                    page["nextPage"] = new Uri(BaseAddress, $"rest/api/3/group/member?groupId={Uri.EscapeDataString(group.Id)}&includeInactiveUsers={(includeInactive ? "true" : "false")}&startAt={startAt + values.Length}&maxResults={maxResults}").AbsoluteUri;
                }
            }
        }

        await (page is null
            ? JiraErrorAsync(context, error == "bad" ? StatusCodes.Status400BadRequest : StatusCodes.Status404NotFound, error == "bad" ? "You must provide either a group name or a group id, not both." : "Specified group does not exist.")
            : WriteJsonAsync(context, StatusCodes.Status200OK, page)).ConfigureAwait(false);
    }

    private async Task UserGroupsAsync(HttpContext context)
    {
        if (!await RequireBasicAsync(context).ConfigureAwait(false) || !await RequireBrowseUsersAsync(context).ConfigureAwait(false))
        {
            return;
        }

        var accountId = context.Request.Query["accountId"].ToString();
        JsonArray? groups = null;
        lock (SyncRoot)
        {
            if (_accounts.ContainsKey(accountId))
            {
                groups = new JsonArray(_groups.Values
                    .Where(g => g.Members.Contains(accountId))
                    .OrderBy(g => g.Name, StringComparer.OrdinalIgnoreCase)
                    .Select(g => (JsonNode)new JsonObject
                    {
                        ["name"] = g.Name,
                        ["groupId"] = g.Id,
                        ["self"] = new Uri(BaseAddress, $"rest/api/3/group?groupId={Uri.EscapeDataString(g.Id)}").AbsoluteUri,
                    })
                    .ToArray());
            }
        }

        await (groups is null
            ? JiraErrorAsync(context, StatusCodes.Status404NotFound, "Specified user does not exist or you do not have required permissions")
            : WriteJsonAsync(context, StatusCodes.Status200OK, groups)).ConfigureAwait(false);
    }

    private async Task<bool> RequireBrowseUsersAsync(HttpContext context)
    {
        if (CanBrowseUsers)
        {
            return true;
        }

        await JiraErrorAsync(context, StatusCodes.Status403Forbidden, "You don't have the permission to browse users and groups.").ConfigureAwait(false);
        return false;
    }

    private async Task AddToGroupAsync(HttpContext context)
    {
        if (!await RequireBasicAsync(context).ConfigureAwait(false) || !await RequireSiteAdminAsync(context).ConfigureAwait(false))
        {
            return;
        }

        var body = await ReadObjectAsync(context).ConfigureAwait(false);
        var accountId = body?["accountId"]?.GetValueKind() == JsonValueKind.String ? body["accountId"]!.GetValue<string>() : null;
        int status;
        string? message = null;
        JsonObject? json = null;
        lock (SyncRoot)
        {
            var group = ResolveGroup(context, out var error);
            if (error == "bad")
            {
                (status, message) = (400, "You must provide either a group name or a group id, not both.");
            }
            else if (string.IsNullOrEmpty(accountId))
            {
                (status, message) = (400, "You must specify an accountId.");
            }
            else if (group is null)
            {
                (status, message) = (404, "Specified group does not exist.");
            }
            else if (!_accounts.TryGetValue(accountId, out var account) || !account.Active)
            {
                (status, message) = (404, "User not found");
            }
            else if (group.Members.Contains(accountId))
            {
                (status, message) = (400, $"Cannot add user. User is already a member of '{group.Name}'");
            }
            else
            {
                group.Members.Add(accountId);
                status = 201;
                json = GroupJson(group);
            }
        }

        await (json is null ? JiraErrorAsync(context, status, message) : WriteJsonAsync(context, status, json)).ConfigureAwait(false);
    }

    private async Task RemoveFromGroupAsync(HttpContext context)
    {
        if (!await RequireBasicAsync(context).ConfigureAwait(false) || !await RequireSiteAdminAsync(context).ConfigureAwait(false))
        {
            return;
        }

        var accountId = context.Request.Query["accountId"].ToString();
        int status;
        string? message = null;
        lock (SyncRoot)
        {
            var group = ResolveGroup(context, out var error);
            if (error == "bad")
            {
                (status, message) = (400, "You must provide either a group name or a group id, not both.");
            }
            else if (string.IsNullOrEmpty(accountId))
            {
                (status, message) = (400, "You must specify an accountId.");
            }
            else if (group is null)
            {
                (status, message) = (404, "Specified group does not exist.");
            }
            else if (!_accounts.ContainsKey(accountId))
            {
                (status, message) = (404, "User not found");
            }
            else if (!group.Members.Remove(accountId))
            {
                (status, message) = (400, $"Cannot remove user. User is not a member of '{group.Name}'");
            }
            else
            {
                status = 200;
            }
        }

        if (status == 200)
        {
            context.Response.StatusCode = 200;
            return;
        }

        await JiraErrorAsync(context, status, message).ConfigureAwait(false);
    }

    private Group? ResolveGroup(HttpContext context, out string? error)
    {
        var groupId = context.Request.Query["groupId"].ToString();
        var groupName = context.Request.Query["groupname"].ToString();
        if (groupName.Length == 0)
        {
            groupName = context.Request.Query["groupName"].ToString();
        }

        error = null;
        if ((groupId.Length > 0) == (groupName.Length > 0))
        {
            error = "bad";
            return null;
        }

        var group = groupId.Length > 0
            ? _groups.GetValueOrDefault(groupId)
            : _groups.Values.FirstOrDefault(g => string.Equals(g.Name, groupName, StringComparison.OrdinalIgnoreCase));
        error = group is null ? "missing" : null;
        return group;
    }
}
