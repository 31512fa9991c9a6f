using System.Globalization;
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
public sealed partial class AtlassianSimulator : HttpSimulator
{
    private const int MaxMemberPageSize = 50;

    private readonly Dictionary<string, Account> _accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Group> _groups = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Pending> _pending = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<AtlassianSimulatorInvite> _invites = [];
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

    /// <inheritdoc />
    protected override SimulatedFault CreateErrorFault(int statusCode)
        => SimulatedFault.Status(statusCode, JiraErrorBody($"Simulated error {statusCode}."), "application/json;charset=UTF-8");

    /// <summary>Creates Jira's 429: <c>Retry-After</c>, the <c>X-RateLimit-*</c> headers and a Jira error body.</summary>
    /// <param name="retryAfter">The <c>Retry-After</c> delay, sent in whole seconds.</param>
    /// <returns>The fault.</returns>
    protected override SimulatedFault CreateRateLimitFault(TimeSpan retryAfter)
    {
        var seconds = (long)Math.Ceiling(retryAfter.TotalSeconds);
        return SimulatedFault.TooManyRequests(retryAfter, JiraErrorBody("Rate limit exceeded."), "application/json;charset=UTF-8")
            .WithHeaders(new Dictionary<string, string>
            {
                ["X-RateLimit-Limit"] = "100",
                ["X-RateLimit-Remaining"] = "0",
                ["X-RateLimit-Reset"] = TimeProvider.System.GetUtcNow().AddSeconds(seconds).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
                ["RateLimit-Reason"] = "jira-burst-based",
            });
    }

    /// <inheritdoc />
    protected override void MapEndpoints(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
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
}
