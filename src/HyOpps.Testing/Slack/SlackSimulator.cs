using System.Globalization;
using System.Security.Cryptography;
using HyOpps.Testing.Simulation;

namespace HyOpps.Testing.Slack;

/// <summary>An in-process Slack Web API on 127.0.0.1 for tests and sandbox hosts, faithful to the real envelope and errors.</summary>
/// <remarks>
/// <para>Methods live under <see cref="ApiBaseAddress"/> (<c>http://127.0.0.1:port/api/&lt;method&gt;</c>) and answer HTTP 200
/// with <c>{"ok": true|false, "error": ...}</c>, as Slack does. Supported: <c>users.lookupByEmail</c>, <c>users.info</c>, <c>usergroups.list</c>,
/// <c>usergroups.users.list</c>, <c>usergroups.users.update</c> (replaces the list; an empty list is <c>no_users_provided</c>;
/// guests and bots are <c>invalid_user</c>), <c>conversations.invite</c>, <c>admin.users.invite</c> and <c>chat.postMessage</c>
/// (recorded in <see cref="Messages"/>).</para>
/// <para>Tokens carry scopes: a call without the method's scope answers <c>missing_scope</c> with <c>needed</c> and
/// <c>provided</c>. The token is read from the <c>Authorization: Bearer</c> header, or from a <c>token</c> field of a form
/// body; a JSON body's <c>token</c> field is ignored (<c>not_authed</c>), as in Slack. Bodies may be form-encoded or JSON;
/// reads also take a query string.</para>
/// <para>Seed state with <see cref="AddUser"/>, <see cref="CreateUserGroup"/> and <see cref="CreateChannel"/>, inspect it with
/// <see cref="GetUserGroupMembers"/> and <see cref="Calls"/>, and inject rate limits or errors with
/// <see cref="HttpSimulator.InjectRateLimit"/>, <see cref="HttpSimulator.InjectError"/>, <see cref="SimulateError"/> (an <c>ok: false</c> answer) or <see cref="HttpSimulator.Faults"/>.</para>
/// </remarks>
public sealed partial class SlackSimulator : HttpSimulator
{
    private readonly Dictionary<string, TokenInfo> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimUser> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimGroup> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimChannel> _channels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PendingInvite> _pendingInvites = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<SlackSimulatorInvitation> _invitations = [];
    private readonly List<SlackSimulatorCall> _calls = [];
    private int _nextId;
    private SlackUsergroupWritePolicy _writePolicy = SlackUsergroupWritePolicy.Everyone;

    /// <summary>Initializes a new instance of the <see cref="SlackSimulator"/> class with a bot token and an admin token of its own.</summary>
    /// <param name="teamId">The workspace id the simulator reports and <c>admin.users.invite</c> expects.</param>
    /// <exception cref="ArgumentException"><paramref name="teamId"/> is null or empty.</exception>
    public SlackSimulator(string teamId = "T0HYOPPS1")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(teamId);
        TeamId = teamId;
        BotToken = "xoxb-sim-" + RandomSuffix();
        AdminToken = "xoxp-sim-" + RandomSuffix();
        AddToken(BotToken, DefaultBotScopes);
        AddToken(AdminToken, DefaultAdminScopes, isWorkspaceAdmin: true);
    }

    /// <summary>Gets the scopes of <see cref="BotToken"/>: what the HyOpps Slack steps need.</summary>
    public static IReadOnlyList<string> DefaultBotScopes { get; } =
        ["users:read", "users:read.email", "usergroups:read", "usergroups:write", "channels:manage", "groups:write", "chat:write"];

    /// <summary>Gets the scopes of <see cref="AdminToken"/>, a workspace admin's user token.</summary>
    public static IReadOnlyList<string> DefaultAdminScopes { get; } =
        ["admin.users:write", "users:read", "users:read.email", "usergroups:read", "usergroups:write", "channels:write", "groups:write"];

    /// <summary>Gets the workspace id.</summary>
    public string TeamId { get; }

    /// <summary>Gets a bot token (<c>xoxb-</c>) with <see cref="DefaultBotScopes"/>.</summary>
    public string BotToken { get; }

    /// <summary>Gets a workspace admin's user token (<c>xoxp-</c>) with <see cref="DefaultAdminScopes"/>, for <c>admin.users.invite</c>.</summary>
    public string AdminToken { get; }

    /// <summary>Gets the Web API base URL to configure clients with, <c>http://127.0.0.1:port/api/</c>; valid once started.</summary>
    public Uri ApiBaseAddress => new(BaseAddress, "api/");

    /// <summary>Gets or sets a value indicating whether the workspace is on Enterprise Grid; otherwise <c>admin.users.invite</c> answers <c>feature_not_enabled</c>. The default value is <see langword="true"/>.</summary>
    public bool EnterpriseGrid { get; set; } = true;

    /// <summary>Gets or sets how many <c>users.lookupByEmail</c> calls for an invited email still answer <c>users_not_found</c> before the person accepts and the account exists. The default value is 1.</summary>
    public int InvitationAcceptedAfterLookups { get; set; } = 1;

    /// <summary>Gets or sets a value indicating whether looking up an unknown email creates a member account for it (handy for sandbox demos). The default value is <see langword="false"/>.</summary>
    public bool CreateUnknownUsersOnLookup { get; set; }

    /// <summary>Gets or sets a simulated concurrent writer: called after each successful <c>usergroups.users.update</c>, once the response is composed, with the user group id and its new members; returns the member list the other writer leaves, or <see langword="null"/> to leave it alone.</summary>
    /// <remarks>Runs under the simulator's lock: do not call back into the simulator from it.</remarks>
    public Func<string, IReadOnlyList<string>, IEnumerable<string>?>? ConcurrentWriter { get; set; }

    /// <summary>Gets or sets a hook awaited before each Web API method runs (after authentication data is read), with the method name; lets a test hold calls to open a race window.</summary>
    public Func<string, CancellationToken, ValueTask>? BeforeMethod { get; set; }

    /// <summary>Gets the simulated workspace setting "who can modify user groups".</summary>
    public SlackUsergroupWritePolicy UsergroupWritePolicy
    {
        get
        {
            lock (SyncRoot)
            {
                return _writePolicy;
            }
        }
    }

    /// <summary>Gets the Web API calls handled so far, in order.</summary>
    public IReadOnlyList<SlackSimulatorCall> Calls
    {
        get
        {
            lock (SyncRoot)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>Gets the invitations sent with <c>admin.users.invite</c>, in order.</summary>
    public IReadOnlyList<SlackSimulatorInvitation> Invitations
    {
        get
        {
            lock (SyncRoot)
            {
                return [.. _invitations];
            }
        }
    }

    /// <summary>Adds a token the simulator accepts.</summary>
    /// <param name="token">The token; <c>xoxb-</c> tokens are bot tokens, others user tokens.</param>
    /// <param name="scopes">The scopes granted.</param>
    /// <param name="isWorkspaceAdmin">Whether the token's user is a workspace admin (user tokens only).</param>
    /// <exception cref="ArgumentException"><paramref name="token"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="scopes"/> is <see langword="null"/>.</exception>
    public void AddToken(string token, IEnumerable<string> scopes, bool isWorkspaceAdmin = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        ArgumentNullException.ThrowIfNull(scopes);
        var isBot = token.StartsWith("xoxb-", StringComparison.Ordinal);
        lock (SyncRoot)
        {
            _tokens[token] = new TokenInfo(new HashSet<string>(scopes, StringComparer.Ordinal), isBot, isWorkspaceAdmin && !isBot);
        }
    }

    /// <summary>Revokes a token: calls with it answer <c>token_revoked</c>.</summary>
    /// <param name="token">The token.</param>
    /// <exception cref="ArgumentException">The token is unknown.</exception>
    public void RevokeToken(string token)
    {
        lock (SyncRoot)
        {
            if (!_tokens.TryGetValue(token, out var info))
            {
                throw new ArgumentException("Unknown token.", nameof(token));
            }

            info.Revoked = true;
        }
    }

    /// <summary>Adds a user account.</summary>
    /// <param name="email">The email; unique, compared case-insensitively.</param>
    /// <param name="realName">The real name; the email's local part when <see langword="null"/>.</param>
    /// <param name="kind">The kind of account.</param>
    /// <returns>The user id (<c>U...</c>).</returns>
    /// <exception cref="ArgumentException"><paramref name="email"/> is empty or already used.</exception>
    public string AddUser(string email, string? realName = null, SlackSimulatorUserKind kind = SlackSimulatorUserKind.Member)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        lock (SyncRoot)
        {
            if (FindUser(email) is not null)
            {
                throw new ArgumentException($"A user with the email {email} exists already.", nameof(email));
            }

            return CreateUser(email.Trim(), realName, kind).Id;
        }
    }

    /// <summary>Deactivates a user: lookups still find it, with <c>deleted: true</c>; user groups reject it.</summary>
    /// <param name="userId">The user id.</param>
    /// <exception cref="ArgumentException">The user is unknown.</exception>
    public void DeactivateUser(string userId)
    {
        lock (SyncRoot)
        {
            GetUser(userId).Deleted = true;
        }
    }

    /// <summary>Finds a user id by email.</summary>
    /// <param name="email">The email, compared case-insensitively.</param>
    /// <returns>The user id, or <see langword="null"/>.</returns>
    public string? FindUserId(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        lock (SyncRoot)
        {
            return FindUser(email)?.Id;
        }
    }

    /// <summary>Creates a user group.</summary>
    /// <param name="handle">The mention handle, also used as the name.</param>
    /// <param name="memberIds">The initial member ids; each must be a known user.</param>
    /// <returns>The user group id (<c>S...</c>).</returns>
    /// <exception cref="ArgumentException"><paramref name="handle"/> is empty, or a member is unknown.</exception>
    public string CreateUserGroup(string handle, params string[] memberIds)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(handle);
        ArgumentNullException.ThrowIfNull(memberIds);
        lock (SyncRoot)
        {
            foreach (var id in memberIds)
            {
                GetUser(id);
            }

            var group = new SimGroup(NewId('S'), handle, [.. memberIds.Distinct(StringComparer.Ordinal)]);
            _groups.Add(group.Id, group);
            return group.Id;
        }
    }

    /// <summary>Gets a user group's members, in the order Slack stored them.</summary>
    /// <param name="userGroupId">The user group id.</param>
    /// <returns>The member ids.</returns>
    /// <exception cref="ArgumentException">The user group is unknown.</exception>
    public IReadOnlyList<string> GetUserGroupMembers(string userGroupId)
    {
        lock (SyncRoot)
        {
            return [.. GetGroup(userGroupId).Members];
        }
    }

    /// <summary>Replaces a user group's members directly, as another tool or a person in Slack would (no validation; may be empty).</summary>
    /// <param name="userGroupId">The user group id.</param>
    /// <param name="userIds">The new members.</param>
    /// <exception cref="ArgumentException">The user group is unknown.</exception>
    public void SetUserGroupMembers(string userGroupId, IEnumerable<string> userIds)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        lock (SyncRoot)
        {
            GetGroup(userGroupId).Members = [.. userIds.Distinct(StringComparer.Ordinal)];
        }
    }

    /// <summary>
    /// Disables a user group (<c>date_delete</c> set); <c>usergroups.list</c> hides it unless <c>include_disabled</c>. Its member list
    /// can still be read and replaced, so a client that does not look at <c>date_delete</c> sees success.
    /// </summary>
    /// <param name="userGroupId">The user group id.</param>
    /// <exception cref="ArgumentException">The user group is unknown.</exception>
    public void DisableUserGroup(string userGroupId)
    {
        lock (SyncRoot)
        {
            GetGroup(userGroupId).DateDelete = DateTimeOffset.UnixEpoch.AddYears(56).ToUnixTimeSeconds();
        }
    }

    /// <summary>Sets the workspace setting "who can modify user groups".</summary>
    /// <param name="policy">The policy.</param>
    public void SetUsergroupWritePolicy(SlackUsergroupWritePolicy policy)
    {
        lock (SyncRoot)
        {
            _writePolicy = policy;
        }
    }

    /// <summary>Creates a channel.</summary>
    /// <param name="name">The channel name.</param>
    /// <param name="isPrivate">Whether it is private (needs <c>groups:write</c> to invite).</param>
    /// <param name="appIsMember">Whether the app is a member; otherwise <c>conversations.invite</c> answers <c>not_in_channel</c>.</param>
    /// <returns>The channel id (<c>C...</c>).</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public string CreateChannel(string name, bool isPrivate = false, bool appIsMember = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (SyncRoot)
        {
            var channel = new SimChannel(NewId('C'), name, isPrivate) { AppIsMember = appIsMember };
            _channels.Add(channel.Id, channel);
            return channel.Id;
        }
    }

    /// <summary>Archives a channel: invitations answer <c>is_archived</c>.</summary>
    /// <param name="channelId">The channel id.</param>
    /// <exception cref="ArgumentException">The channel is unknown.</exception>
    public void ArchiveChannel(string channelId)
    {
        lock (SyncRoot)
        {
            GetChannel(channelId).Archived = true;
        }
    }

    /// <summary>Gets a channel's members (people, not the app).</summary>
    /// <param name="channelId">The channel id.</param>
    /// <returns>The member ids.</returns>
    /// <exception cref="ArgumentException">The channel is unknown.</exception>
    public IReadOnlyList<string> GetChannelMembers(string channelId)
    {
        lock (SyncRoot)
        {
            return [.. GetChannel(channelId).Members];
        }
    }

    /// <summary>Accepts a pending invitation now: the account exists from the next lookup.</summary>
    /// <param name="email">The invited email.</param>
    /// <returns>The new user id.</returns>
    /// <exception cref="ArgumentException">No invitation is pending for <paramref name="email"/>.</exception>
    public string AcceptInvitation(string email)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        lock (SyncRoot)
        {
            if (!_pendingInvites.TryGetValue(email.Trim(), out var invite))
            {
                throw new ArgumentException($"No invitation is pending for {email}.", nameof(email));
            }

            return Accept(invite).Id;
        }
    }

    /// <summary>Maps a Web API method name such as <c>users.lookupByEmail</c> to its path; a path starting with <c>/</c> is kept.</summary>
    /// <param name="endpoint">The method name or path.</param>
    /// <returns>The path prefix.</returns>
    protected override string EndpointPath(string endpoint)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(endpoint);
        return endpoint.StartsWith('/') ? endpoint : "/api/" + endpoint;
    }

    /// <inheritdoc />
    protected override SimulatedFault CreateErrorFault(int statusCode)
        => SimulatedFault.Status(statusCode, """{"ok":false,"error":"fatal_error"}""", "application/json");

    /// <summary>Creates Slack's rate limit: HTTP 429, <c>Retry-After</c> and <c>{"ok":false,"error":"ratelimited"}</c>.</summary>
    /// <param name="retryAfter">The <c>Retry-After</c> delay.</param>
    /// <returns>The fault.</returns>
    protected override SimulatedFault CreateRateLimitFault(TimeSpan retryAfter)
        => SimulatedFault.TooManyRequests(retryAfter, """{"ok":false,"error":"ratelimited"}""", "application/json");

    /// <summary>Answers the next calls of a method with HTTP 200 and <c>{"ok":false,"error":"&lt;error&gt;"}</c>, for example <c>internal_error</c> or the legacy <c>user_not_found</c>.</summary>
    /// <param name="method">The Web API method.</param>
    /// <param name="error">The error code.</param>
    /// <param name="times">How many calls fail.</param>
    /// <exception cref="ArgumentException">An argument is null or empty.</exception>
    public void SimulateError(string method, string error, int times = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        ArgumentException.ThrowIfNullOrWhiteSpace(error);
        var body = new System.Text.Json.Nodes.JsonObject { ["ok"] = false, ["error"] = error }.ToJsonString();
        Faults.Add(SimulatedFault.Status(200, body, "application/json; charset=utf-8"), times, pathPrefix: "/api/" + method);
    }

    private static string RandomSuffix() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    private string NewId(char prefix) => prefix + "0SIM" + (++_nextId).ToString("D5", CultureInfo.InvariantCulture);

    private SimUser? FindUser(string email)
        => _users.Values.FirstOrDefault(u => string.Equals(u.Email, email.Trim(), StringComparison.OrdinalIgnoreCase));

    private SimUser CreateUser(string email, string? realName, SlackSimulatorUserKind kind)
    {
        var user = new SimUser(NewId(kind == SlackSimulatorUserKind.Bot ? 'B' : 'U'), email, realName ?? email.Split('@')[0], kind);
        _users.Add(user.Id, user);
        return user;
    }

    private SimUser Accept(PendingInvite invite)
    {
        _pendingInvites.Remove(invite.Email);
        var user = FindUser(invite.Email) ?? CreateUser(invite.Email, invite.RealName, SlackSimulatorUserKind.Member);
        foreach (var channelId in invite.ChannelIds)
        {
            if (_channels.TryGetValue(channelId, out var channel) && !channel.Members.Contains(user.Id))
            {
                channel.Members.Add(user.Id);
            }
        }

        return user;
    }

    private SimUser GetUser(string userId)
        => _users.TryGetValue(userId ?? string.Empty, out var user) ? user : throw new ArgumentException($"Unknown user {userId}.", nameof(userId));

    private SimGroup GetGroup(string userGroupId)
        => _groups.TryGetValue(userGroupId ?? string.Empty, out var group) ? group : throw new ArgumentException($"Unknown user group {userGroupId}.", nameof(userGroupId));

    private SimChannel GetChannel(string channelId)
        => _channels.TryGetValue(channelId ?? string.Empty, out var channel) ? channel : throw new ArgumentException($"Unknown channel {channelId}.", nameof(channelId));

    private sealed class TokenInfo(HashSet<string> scopes, bool isBot, bool isWorkspaceAdmin)
    {
        public HashSet<string> Scopes { get; } = scopes;

        public bool IsBot { get; } = isBot;

        public bool IsWorkspaceAdmin { get; } = isWorkspaceAdmin;

        public bool Revoked { get; set; }
    }

    private sealed class SimUser(string id, string email, string realName, SlackSimulatorUserKind kind)
    {
        public string Id { get; } = id;

        public string Email { get; } = email;

        public string RealName { get; } = realName;

        public SlackSimulatorUserKind Kind { get; } = kind;

        public bool Deleted { get; set; }
    }

    private sealed class SimGroup(string id, string handle, List<string> members)
    {
        public string Id { get; } = id;

        public string Handle { get; } = handle;

        public List<string> Members { get; set; } = members;

        public long DateDelete { get; set; }
    }

    private sealed class SimChannel(string id, string name, bool isPrivate)
    {
        public string Id { get; } = id;

        public string Name { get; } = name;

        public bool IsPrivate { get; } = isPrivate;

        public bool AppIsMember { get; set; }

        public bool Archived { get; set; }

        public List<string> Members { get; } = [];
    }

    private sealed class PendingInvite(string email, IReadOnlyList<string> channelIds, string? realName)
    {
        public string Email { get; } = email;

        public IReadOnlyList<string> ChannelIds { get; } = channelIds;

        public string? RealName { get; } = realName;

        public int Lookups { get; set; }
    }
}
