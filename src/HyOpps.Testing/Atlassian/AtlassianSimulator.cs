using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HyOpps.Testing.Simulation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HyOpps.Testing.Atlassian;

/// <summary>
/// An in-process Atlassian Cloud on 127.0.0.1: the site's Jira platform REST v3 user and group endpoints and the Organization Admin
/// API's invite endpoint, on one server (point both <c>SiteUrl</c> and <c>AdminApiBaseUrl</c> at <see cref="HttpSimulator.BaseAddress"/>).
/// </summary>
/// <remarks>
/// <para>Site calls need <c>Authorization: Basic base64(<see cref="Email"/>:<see cref="ApiToken"/>)</c>; admin calls need
/// <c>Authorization: Bearer <see cref="OrgAdminApiKey"/></c>. Errors use Jira's <c>{"errorMessages":[],"errors":{}}</c> and the Admin
/// API's <c>{"errors":[{"status","code","title","detail"}]}</c>; a failed Basic login answers 401 in plain text.</para>
/// <para>Endpoints: <c>GET /rest/api/3/user/search</c> (prefix match on display name words and email, active users only, a JSON array),
/// <c>GET|POST /rest/api/3/user</c>, <c>GET /rest/api/3/user/groups</c>, <c>GET /rest/api/3/group/bulk</c>, <c>GET /rest/api/3/group/member</c> (paged, at most 50),
/// <c>POST|DELETE /rest/api/3/group/user</c> (duplicate add: 400 <c>Cannot add user. User is already a member of '&lt;group&gt;'</c>;
/// removing a non-member: 400 <c>Cannot remove user. User is not a member of '&lt;group&gt;'</c>, an assumption), and
/// <c>POST /admin/v2/orgs/{orgId}/users/invite</c>, whose new accounts appear only after <see cref="InvitedAccountVisibleAfterSearches"/>
/// matching searches (eventual consistency).</para>
/// </remarks>
public sealed class AtlassianSimulator : HttpSimulator
{
    private const int MaxMemberPageSize = 50;

    private readonly Dictionary<string, Account> _accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Group> _groups = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Pending> _pending = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<AtlassianSimulatorInvite> _invites = [];
    private readonly List<RateLimitEntry> _rateLimits = [];
    private bool _isSiteAdmin = true;
    private bool _canBrowseUsers = true;
    private int _invitedAccountVisibleAfterSearches = 2;

    /// <summary>Gets the email of the account whose API token the site accepts. The default value is <c>hyopps-bot@example.com</c>.</summary>
    public string Email { get; init; } = "hyopps-bot@example.com";

    /// <summary>Gets the API token the site accepts with <see cref="Email"/>. The default value is a random token.</summary>
    public string ApiToken { get; init; } = "ATATT-sim-" + Guid.NewGuid().ToString("N");

    /// <summary>Gets the organization id of the Organization Admin API. The default value is a random id.</summary>
    public string OrgId { get; init; } = "sim-org-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Gets the organization admin API key the Organization Admin API accepts. The default value is a random key.</summary>
    public string OrgAdminApiKey { get; init; } = "ATCTT-sim-" + Guid.NewGuid().ToString("N");

    /// <summary>Gets the site URL to configure (<see cref="HttpSimulator.BaseAddress"/>); valid once started.</summary>
    public Uri SiteUrl => BaseAddress;

    /// <summary>Gets the Organization Admin API base URL to configure (<see cref="HttpSimulator.BaseAddress"/>); valid once started.</summary>
    public Uri AdminApiBaseUrl => BaseAddress;

    /// <summary>Gets or sets a value indicating whether the API token's account is a site admin; when not, group changes and site invites answer 403. The default value is <see langword="true"/>.</summary>
    public bool IsSiteAdmin
    {
        get { lock (SyncRoot) { return _isSiteAdmin; } }
        set { lock (SyncRoot) { _isSiteAdmin = value; } }
    }

    /// <summary>The name of the group whose members are site admins.</summary>
    public const string SiteAdminsGroupName = "site-admins";

    /// <summary>
    /// Gets or sets a value indicating whether the API token's account has "Browse users and groups"; when not, user searches answer
    /// an empty array (not 403, as Jira does), while <c>group/member</c> and <c>user/groups</c> answer 403. The default value is <see langword="true"/>.
    /// </summary>
    public bool CanBrowseUsers
    {
        get { lock (SyncRoot) { return _canBrowseUsers; } }
        set { lock (SyncRoot) { _canBrowseUsers = value; } }
    }

    /// <summary>Gets or sets how many user searches matching an invited email it takes for the new account to appear (it appears in the answer to that search); 0 makes it appear at once. The default value is 2.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int InvitedAccountVisibleAfterSearches
    {
        get { lock (SyncRoot) { return _invitedAccountVisibleAfterSearches; } }
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            lock (SyncRoot) { _invitedAccountVisibleAfterSearches = value; }
        }
    }

    /// <summary>Gets the accounts, in creation order.</summary>
    public IReadOnlyList<AtlassianSimulatorAccount> Accounts
    {
        get { lock (SyncRoot) { return _accounts.Values.OrderBy(a => a.Sequence).Select(a => a.ToRecord()).ToList(); } }
    }

    /// <summary>Gets the invites received through the Organization Admin API, in arrival order.</summary>
    public IReadOnlyList<AtlassianSimulatorInvite> Invites
    {
        get { lock (SyncRoot) { return _invites.ToList(); } }
    }

    /// <summary>Adds an account.</summary>
    /// <param name="email">The email address; unique.</param>
    /// <param name="displayName">The display name; the email's local part by default.</param>
    /// <param name="emailHidden">Whether profile visibility hides the email from responses.</param>
    /// <param name="active">Whether the account is active.</param>
    /// <param name="accountType">The account type: <c>atlassian</c>, <c>app</c> or <c>customer</c>.</param>
    /// <returns>The account.</returns>
    /// <exception cref="ArgumentException"><paramref name="email"/> is empty.</exception>
    /// <exception cref="InvalidOperationException">An account has that email already.</exception>
    public AtlassianSimulatorAccount AddAccount(string email, string? displayName = null, bool emailHidden = false, bool active = true, string accountType = "atlassian")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        ArgumentException.ThrowIfNullOrWhiteSpace(accountType);
        lock (SyncRoot)
        {
            if (FindByEmail(email) is not null)
            {
                throw new InvalidOperationException($"An account with email {email} exists already.");
            }

            return CreateAccount(NewAccountId(), email.Trim(), displayName, emailHidden, active, accountType).ToRecord();
        }
    }

    /// <summary>Finds an account by email, case-insensitively, whatever its visibility.</summary>
    /// <param name="email">The email address.</param>
    /// <returns>The account, or <see langword="null"/>.</returns>
    public AtlassianSimulatorAccount? FindAccount(string email)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        lock (SyncRoot)
        {
            return FindByEmail(email)?.ToRecord();
        }
    }

    /// <summary>Creates a group.</summary>
    /// <param name="name">The group name; unique, case-insensitively.</param>
    /// <param name="groupId">The group id; a new GUID by default.</param>
    /// <returns>The group.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    /// <exception cref="InvalidOperationException">A group has that name or id already.</exception>
    public AtlassianSimulatorGroup CreateGroup(string name, string? groupId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var id = string.IsNullOrWhiteSpace(groupId) ? Guid.NewGuid().ToString() : groupId;
        lock (SyncRoot)
        {
            if (_groups.ContainsKey(id) || _groups.Values.Any(g => string.Equals(g.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                throw new InvalidOperationException($"A group named '{name}' or with id '{id}' exists already.");
            }

            var group = new Group(id, name);
            _groups[id] = group;
            return new AtlassianSimulatorGroup(group.Id, group.Name);
        }
    }

    /// <summary>Adds an account to a group, as an administrator would by hand.</summary>
    /// <param name="groupId">The group id.</param>
    /// <param name="accountId">The account id.</param>
    /// <exception cref="KeyNotFoundException">The group or the account does not exist.</exception>
    public void AddGroupMember(string groupId, string accountId)
    {
        lock (SyncRoot)
        {
            var group = GetGroup(groupId);
            if (!_accounts.ContainsKey(accountId))
            {
                throw new KeyNotFoundException($"No account has id '{accountId}'.");
            }

            if (!group.Members.Contains(accountId))
            {
                group.Members.Add(accountId);
            }
        }
    }

    /// <summary>Makes an account a site admin, as Atlassian does, by membership of the <c>site-admins</c> group (created when missing).</summary>
    /// <param name="accountId">The account id.</param>
    /// <exception cref="KeyNotFoundException">The account does not exist.</exception>
    public void GrantSiteAdmin(string accountId)
    {
        lock (SyncRoot)
        {
            var group = _groups.Values.FirstOrDefault(g => string.Equals(g.Name, SiteAdminsGroupName, StringComparison.OrdinalIgnoreCase));
            if (group is null)
            {
                group = new Group(Guid.NewGuid().ToString(), SiteAdminsGroupName);
                _groups[group.Id] = group;
            }

            AddGroupMember(group.Id, accountId);
        }
    }

    /// <summary>Gets the account ids of a group's members, in the order they were added.</summary>
    /// <param name="groupId">The group id.</param>
    /// <returns>The member account ids.</returns>
    /// <exception cref="KeyNotFoundException">The group does not exist.</exception>
    public IReadOnlyList<string> GetGroupMembers(string groupId)
    {
        lock (SyncRoot)
        {
            return GetGroup(groupId).Members.ToList();
        }
    }

    /// <summary>Answers the next <paramref name="times"/> matching requests with 429, <c>Retry-After</c> and the <c>X-RateLimit-*</c> headers.</summary>
    /// <param name="times">How many requests to reject.</param>
    /// <param name="retryAfter">The <c>Retry-After</c> delay, sent in whole seconds.</param>
    /// <param name="method">Only requests with this HTTP method, or any when <see langword="null"/>.</param>
    /// <param name="pathPrefix">Only requests whose path starts with this, or any when <see langword="null"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="times"/> is less than 1 or <paramref name="retryAfter"/> is negative.</exception>
    public void RateLimit(int times, TimeSpan retryAfter, string? method = null, string? pathPrefix = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(times, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(retryAfter, TimeSpan.Zero);
        lock (SyncRoot)
        {
            _rateLimits.Add(new RateLimitEntry(times, retryAfter, method, pathPrefix));
        }
    }

    /// <inheritdoc />
    protected override void MapEndpoints(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(async (context, next) =>
        {
            if (!await TryRateLimitAsync(context).ConfigureAwait(false))
            {
                await next(context).ConfigureAwait(false);
            }
        });
        app.MapGet("/rest/api/3/user/search", (RequestDelegate)SearchUsersAsync);
        app.MapGet("/rest/api/3/user", (RequestDelegate)GetUserAsync);
        app.MapPost("/rest/api/3/user", (RequestDelegate)CreateUserAsync);
        app.MapGet("/rest/api/3/group/bulk", (RequestDelegate)BulkGroupsAsync);
        app.MapGet("/rest/api/3/group/member", (RequestDelegate)GroupMembersAsync);
        app.MapGet("/rest/api/3/user/groups", (RequestDelegate)UserGroupsAsync);
        app.MapPost("/rest/api/3/group/user", (RequestDelegate)AddToGroupAsync);
        app.MapDelete("/rest/api/3/group/user", (RequestDelegate)RemoveFromGroupAsync);
        app.MapPost("/admin/v2/orgs/{orgId}/users/invite", (RequestDelegate)InviteAsync);
    }

    private static string NewAccountId() => "712020:" + Guid.NewGuid().ToString();

    private static Task WriteJsonAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json;charset=UTF-8";
        return context.Response.WriteAsync(body.ToJsonString());
    }

    private static Task JiraErrorAsync(HttpContext context, int status, string? message, string? field = null, string? fieldMessage = null)
    {
        var errors = new JsonObject();
        if (field is not null)
        {
            errors[field] = fieldMessage;
        }

        var messages = new JsonArray();
        if (message is not null)
        {
            messages.Add(message);
        }

        return WriteJsonAsync(context, status, new JsonObject { ["errorMessages"] = messages, ["errors"] = errors });
    }

    private static Task AdminErrorAsync(HttpContext context, int status, string code, string title, string detail)
        => WriteJsonAsync(context, status, new JsonObject
        {
            ["errors"] = new JsonArray(new JsonObject
            {
                ["id"] = Guid.NewGuid().ToString(),
                ["status"] = status.ToString(CultureInfo.InvariantCulture),
                ["code"] = code,
                ["title"] = title,
                ["detail"] = detail,
            }),
        });

    private static int QueryInt(HttpContext context, string name, int fallback)
        => int.TryParse(context.Request.Query[name].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0 ? value : fallback;

    private static async Task<JsonObject?> ReadObjectAsync(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body).ConfigureAwait(false) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool Matches(Account account, string query)
    {
        if (account.Email.StartsWith(query, StringComparison.OrdinalIgnoreCase)
            || account.DisplayName.StartsWith(query, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return account.DisplayName.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(w => w.StartsWith(query, StringComparison.OrdinalIgnoreCase));
    }

    private async Task<bool> TryRateLimitAsync(HttpContext context)
    {
        RateLimitEntry? entry;
        lock (SyncRoot)
        {
            entry = _rateLimits.FirstOrDefault(e => e.Matches(context.Request));
            if (entry is not null && --entry.Remaining == 0)
            {
                _rateLimits.Remove(entry);
            }
        }

        if (entry is null)
        {
            return false;
        }

        var seconds = (long)Math.Ceiling(entry.RetryAfter.TotalSeconds);
        var headers = context.Response.Headers;
        headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Limit"] = "100";
        headers["X-RateLimit-Remaining"] = "0";
        headers["X-RateLimit-Reset"] = TimeProvider.System.GetUtcNow().AddSeconds(seconds).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        headers["RateLimit-Reason"] = "jira-burst-based";
        await JiraErrorAsync(context, StatusCodes.Status429TooManyRequests, "Rate limit exceeded.").ConfigureAwait(false);
        return true;
    }

    private bool IsBasicAuthorized(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
            return string.Equals(decoded, $"{Email}:{ApiToken}", StringComparison.Ordinal);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private async Task<bool> RequireBasicAsync(HttpContext context)
    {
        if (IsBasicAuthorized(context))
        {
            return true;
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"protected-area\"";
        context.Response.ContentType = "text/plain;charset=UTF-8";
        await context.Response.WriteAsync("Client must be authenticated to access this resource.").ConfigureAwait(false);
        return false;
    }

    private async Task<bool> RequireSiteAdminAsync(HttpContext context)
    {
        if (IsSiteAdmin)
        {
            return true;
        }

        await JiraErrorAsync(context, StatusCodes.Status403Forbidden, "You do not have the permission to manage users and groups. Site administration permission is required.").ConfigureAwait(false);
        return false;
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

    private async Task InviteAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!string.Equals(header, "Bearer " + OrgAdminApiKey, StringComparison.Ordinal))
        {
            await AdminErrorAsync(context, 401, "ADMIN-UAM-401-1", "Unauthenticated", "The API key is missing, invalid or expired.").ConfigureAwait(false);
            return;
        }

        if (!string.Equals(context.Request.RouteValues["orgId"] as string, OrgId, StringComparison.Ordinal))
        {
            await AdminErrorAsync(context, 404, "ADMIN-UAM-404-2", "Organization not found", "No organization has this id for this API key.").ConfigureAwait(false);
            return;
        }

        var body = await ReadObjectAsync(context).ConfigureAwait(false);
        var emails = (body?["emails"] as JsonArray)?.Select(e => e?.GetValueKind() == JsonValueKind.String ? e.GetValue<string>().Trim() : string.Empty).ToList() ?? [];
        var groups = (body?["additionalGroups"] as JsonArray)?.Select(g => g?.GetValueKind() == JsonValueKind.String ? g.GetValue<string>() : string.Empty).ToList() ?? [];
        var notify = body?["sendNotification"]?.GetValueKind() == JsonValueKind.True;
        if (emails.Count is 0 or > 25 || emails.Any(e => !e.Contains('@', StringComparison.Ordinal)))
        {
            await AdminErrorAsync(context, 400, "ADMIN-UAM-400-1", "Bad Request", "emails must hold 1 to 25 valid email addresses.").ConfigureAwait(false);
            return;
        }

        JsonArray data;
        lock (SyncRoot)
        {
            var unknown = groups.FirstOrDefault(g => !_groups.ContainsKey(g));
            if (unknown is not null)
            {
                data = [];
                groups = [unknown];
            }
            else
            {
                _invites.Add(new AtlassianSimulatorInvite(emails, groups, notify));
                data = new JsonArray(emails.Select(email => (JsonNode)InviteOne(email, groups)).ToArray());
                groups = [];
            }
        }

        if (groups.Count > 0)
        {
            await AdminErrorAsync(context, 404, "ADMIN-UAM-404-3", "Group Not Found", $"Group '{groups[0]}' was not found.").ConfigureAwait(false);
            return;
        }

        await WriteJsonAsync(context, StatusCodes.Status200OK, new JsonObject { ["data"] = data }).ConfigureAwait(false);
    }

    private JsonObject InviteOne(string email, List<string> groups)
    {
        string accountId;
        if (FindByEmail(email) is { } existing)
        {
            accountId = existing.Id;
            foreach (var group in groups.Select(g => _groups[g]).Where(g => !g.Members.Contains(existing.Id)))
            {
                group.Members.Add(existing.Id);
            }
        }
        else
        {
            if (!_pending.TryGetValue(email, out var pending))
            {
                pending = new Pending(email, NewAccountId());
                _pending[email] = pending;
            }

            pending.Groups.UnionWith(groups);
            accountId = pending.AccountId;
            if (_invitedAccountVisibleAfterSearches == 0)
            {
                Materialise(pending);
            }
        }

        return new JsonObject
        {
            ["id"] = accountId,
            ["email"] = email,
            ["results"] = new JsonArray(new JsonObject
            {
                ["groupAssignmentResult"] = new JsonArray(groups.Select(g => (JsonNode)new JsonObject { ["groupId"] = g, ["status"] = "SUCCESS" }).ToArray()),
            }),
        };
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

    private Group GetGroup(string groupId)
        => _groups.TryGetValue(groupId, out var group) ? group : throw new KeyNotFoundException($"No group has id '{groupId}'.");

    private Account? FindByEmail(string email)
        => _accounts.Values.FirstOrDefault(a => string.Equals(a.Email, email.Trim(), StringComparison.OrdinalIgnoreCase));

    private Account CreateAccount(string id, string email, string? displayName, bool emailHidden, bool active, string accountType)
    {
        var name = string.IsNullOrWhiteSpace(displayName) ? email.Split('@')[0] : displayName.Trim();
        var account = new Account(id, email, name, emailHidden, active, accountType, _accounts.Count);
        _accounts[id] = account;
        return account;
    }

    private sealed record Account(string Id, string Email, string DisplayName, bool EmailHidden, bool Active, string AccountType, int Sequence)
    {
        public AtlassianSimulatorAccount ToRecord() => new(Id, Email, DisplayName, EmailHidden, Active, AccountType);
    }

    private sealed class Group(string id, string name)
    {
        public string Id { get; } = id;

        public string Name { get; } = name;

        public List<string> Members { get; } = [];
    }

    private sealed class Pending(string email, string accountId)
    {
        public string Email { get; } = email;

        public string AccountId { get; } = accountId;

        public HashSet<string> Groups { get; } = new(StringComparer.OrdinalIgnoreCase);

        public int Searches { get; set; }
    }

    private sealed class RateLimitEntry(int times, TimeSpan retryAfter, string? method, string? pathPrefix)
    {
        public int Remaining { get; set; } = times;

        public TimeSpan RetryAfter { get; } = retryAfter;

        public bool Matches(HttpRequest request)
            => (method is null || string.Equals(method, request.Method, StringComparison.OrdinalIgnoreCase))
            && (pathPrefix is null || request.Path.Value?.StartsWith(pathPrefix, StringComparison.OrdinalIgnoreCase) == true);
    }
}
