using HyOpps.Testing.Simulation;

namespace HyOpps.Testing.Metabase;

/// <summary>An in-process Metabase REST API on 127.0.0.1: users, permission groups and memberships, with session and API-key auth.</summary>
/// <remarks>
/// <para>
/// It follows the Metabase API as HyOpps' reference describes it: <c>401</c> plain text <c>Unauthenticated</c>,
/// <c>403</c> plain text <c>You don't have permissions to do that.</c>, lower-cased emails, the <c>data/total/limit/offset</c>
/// envelope of <c>GET /api/user</c>, <c>user_group_memberships</c> whose <c>id</c> is the group id, the membership map keyed
/// by user id, the whole member list answered by <c>POST /api/permissions/membership</c>, and a 500 for a duplicate membership.
/// </para>
/// <para>
/// A fresh simulator has the groups "All Users" (<see cref="AllUsersGroupId"/>) and "Administrators"
/// (<see cref="AdministratorsGroupId"/>), one administrator (<see cref="AdminEmail"/>, <see cref="AdminPassword"/>) and one
/// administrator API key (<see cref="ApiKey"/>). Ids count up from different starting points (users from 100, groups from 3,
/// memberships from 500) so that a client mixing up a user id, a group id and a membership id fails visibly.
/// </para>
/// </remarks>
public sealed partial class MetabaseSimulator : HttpSimulator
{
    /// <summary>The id of the magic "All Users" group.</summary>
    public const int AllUsersGroupId = 1;

    /// <summary>The id of the magic "Administrators" group.</summary>
    public const int AdministratorsGroupId = 2;

    private readonly Dictionary<int, UserRecord> _users = [];
    private readonly Dictionary<int, GroupRecord> _groups = [];
    private readonly List<MembershipRecord> _memberships = [];
    private readonly Dictionary<string, bool> _apiKeys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _sessions = new(StringComparer.Ordinal);
    private int _nextUserId = 100;
    private int _nextGroupId = 3;
    private int _nextMembershipId = 500;
    private int _membershipsToDrop;
    private int _loginCount;

    /// <summary>Initializes a new instance of the <see cref="MetabaseSimulator"/> class with the magic groups, one administrator and one administrator API key.</summary>
    /// <param name="timeProvider">The clock for <c>date_joined</c> and <c>updated_at</c>; the system clock when <see langword="null"/>.</param>
    public MetabaseSimulator(TimeProvider? timeProvider = null)
    {
        TimeProvider = timeProvider ?? TimeProvider.System;
        _groups[AllUsersGroupId] = new GroupRecord(AllUsersGroupId, "All Users", "all-internal-users");
        _groups[AdministratorsGroupId] = new GroupRecord(AdministratorsGroupId, "Administrators", "admin");
        ApiKey = "mb_sim_" + Guid.NewGuid().ToString("N");
        AdminPassword = "sim-" + Guid.NewGuid().ToString("N");
        _apiKeys[ApiKey] = true;
        var admin = new UserRecord(1, AdminEmail, "Admin", "User", TimeProvider.GetUtcNow()) { IsSuperuser = true, Password = AdminPassword };
        _users[admin.Id] = admin;
        AddMembershipLocked(admin.Id, AllUsersGroupId);
        AddMembershipLocked(admin.Id, AdministratorsGroupId);
        AdminUserId = admin.Id;
    }

    /// <summary>Gets the clock of timestamps.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Gets an API key (header <c>x-api-key</c>) in the Administrators group.</summary>
    public string ApiKey { get; }

    /// <summary>Gets the email of the seeded administrator, for session auth (<c>POST /api/session</c>).</summary>
    public string AdminEmail => "admin@hyopps-simulator.test";

    /// <summary>Gets the password of the seeded administrator.</summary>
    public string AdminPassword { get; }

    /// <summary>Gets the id of the seeded administrator.</summary>
    public int AdminUserId { get; }

    /// <summary>Gets how many logins (<c>POST /api/session</c>) succeeded.</summary>
    public int LoginCount
    {
        get
        {
            lock (SyncRoot)
            {
                return _loginCount;
            }
        }
    }

    /// <summary>Adds an API key.</summary>
    /// <param name="key">The key clients send in <c>x-api-key</c>.</param>
    /// <param name="isAdmin">Whether the key is in the Administrators group; a key that is not gets 403 on user and group management.</param>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null or empty.</exception>
    public void AddApiKey(string key, bool isAdmin)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        lock (SyncRoot)
        {
            _apiKeys[key] = isAdmin;
        }
    }

    /// <summary>Ends every session, so the next call with a session token answers <c>401 Unauthenticated</c>.</summary>
    public void ExpireSessions()
    {
        lock (SyncRoot)
        {
            _sessions.Clear();
        }
    }

    /// <summary>Makes the next <paramref name="times"/> <c>POST /api/permissions/membership</c> calls answer 200 (with the user in the list) without recording the membership.</summary>
    /// <param name="times">How many calls to drop.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="times"/> is less than 1.</exception>
    public void DropMembershipsSilently(int times = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(times, 1);
        lock (SyncRoot)
        {
            _membershipsToDrop += times;
        }
    }

    /// <summary>Creates a permission group.</summary>
    /// <param name="name">The group name, unique case-insensitively.</param>
    /// <returns>The new group's id.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is blank.</exception>
    /// <exception cref="InvalidOperationException">A group with that name exists.</exception>
    public int CreateGroup(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (SyncRoot)
        {
            if (_groups.Values.Any(g => string.Equals(g.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                throw new InvalidOperationException($"A group named '{name}' exists already.");
            }

            var group = new GroupRecord(_nextGroupId++, name.Trim(), null);
            _groups[group.Id] = group;
            return group.Id;
        }
    }

    /// <summary>Deletes a group and its memberships.</summary>
    /// <param name="groupId">The group id.</param>
    /// <returns><see langword="true"/> when the group existed.</returns>
    /// <exception cref="InvalidOperationException">The group is a magic group.</exception>
    public bool DeleteGroup(int groupId)
    {
        lock (SyncRoot)
        {
            if (!_groups.TryGetValue(groupId, out var group))
            {
                return false;
            }

            if (group.MagicGroupType is not null)
            {
                throw new InvalidOperationException($"The magic group '{group.Name}' cannot be deleted.");
            }

            _groups.Remove(groupId);
            _memberships.RemoveAll(m => m.GroupId == groupId);
            return true;
        }
    }

    /// <summary>Adds a user, in the All Users group (and Administrators when a superuser).</summary>
    /// <param name="email">The email; stored lower-cased.</param>
    /// <param name="firstName">The first name.</param>
    /// <param name="lastName">The last name.</param>
    /// <param name="isActive">Whether the user is active; <see langword="false"/> adds a deactivated user.</param>
    /// <param name="isSuperuser">Whether the user is an administrator.</param>
    /// <param name="password">A password for session auth, if the user should be able to log in.</param>
    /// <returns>The new user's id.</returns>
    /// <exception cref="ArgumentException"><paramref name="email"/> is blank.</exception>
    /// <exception cref="InvalidOperationException">The email is in use (case-insensitively, active or not).</exception>
    public int AddUser(string email, string? firstName = null, string? lastName = null, bool isActive = true, bool isSuperuser = false, string? password = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        lock (SyncRoot)
        {
            if (FindUserLocked(email) is not null)
            {
                throw new InvalidOperationException($"The email '{email}' is in use already.");
            }

            var user = CreateUserLocked(email, firstName, lastName, password);
            user.IsActive = isActive;
            if (isSuperuser)
            {
                AddMembershipLocked(user.Id, AdministratorsGroupId);
            }

            return user.Id;
        }
    }

    /// <summary>Adds a user to a group, unless a member already.</summary>
    /// <param name="userId">The user id.</param>
    /// <param name="groupId">The group id.</param>
    /// <exception cref="InvalidOperationException">The user or group does not exist.</exception>
    public void AddUserToGroup(int userId, int groupId)
    {
        lock (SyncRoot)
        {
            RequireUserLocked(userId);
            RequireGroupLocked(groupId);
            if (FindMembershipLocked(userId, groupId) is null)
            {
                AddMembershipLocked(userId, groupId);
            }
        }
    }

    /// <summary>Removes a user from a group.</summary>
    /// <param name="userId">The user id.</param>
    /// <param name="groupId">The group id.</param>
    /// <returns><see langword="true"/> when the user was a member.</returns>
    public bool RemoveUserFromGroup(int userId, int groupId)
    {
        lock (SyncRoot)
        {
            var membership = FindMembershipLocked(userId, groupId);
            if (membership is null)
            {
                return false;
            }

            RemoveMembershipLocked(membership);
            return true;
        }
    }

    /// <summary>Deactivates a user; their group memberships are kept, as in Metabase.</summary>
    /// <param name="userId">The user id.</param>
    /// <exception cref="InvalidOperationException">The user does not exist.</exception>
    public void DeactivateUser(int userId)
    {
        lock (SyncRoot)
        {
            RequireUserLocked(userId).IsActive = false;
        }
    }

    /// <summary>Finds a user by email, case-insensitively, active or not.</summary>
    /// <param name="email">The email.</param>
    /// <returns>The user, or <see langword="null"/>.</returns>
    public MetabaseSimulatorUser? FindUserByEmail(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        lock (SyncRoot)
        {
            return FindUserLocked(email)?.ToSnapshot();
        }
    }

    /// <summary>Gets a user by id.</summary>
    /// <param name="userId">The user id.</param>
    /// <returns>The user, or <see langword="null"/>.</returns>
    public MetabaseSimulatorUser? GetUser(int userId)
    {
        lock (SyncRoot)
        {
            return _users.TryGetValue(userId, out var user) ? user.ToSnapshot() : null;
        }
    }

    /// <summary>Gets every user, by id.</summary>
    /// <returns>The users.</returns>
    public IReadOnlyList<MetabaseSimulatorUser> GetUsers()
    {
        lock (SyncRoot)
        {
            return [.. _users.Values.OrderBy(u => u.Id).Select(u => u.ToSnapshot())];
        }
    }

    /// <summary>Gets a group by id.</summary>
    /// <param name="groupId">The group id.</param>
    /// <returns>The group, or <see langword="null"/>.</returns>
    public MetabaseSimulatorGroup? GetGroup(int groupId)
    {
        lock (SyncRoot)
        {
            return _groups.TryGetValue(groupId, out var group) ? group.ToSnapshot() : null;
        }
    }

    /// <summary>Gets every group, by id.</summary>
    /// <returns>The groups.</returns>
    public IReadOnlyList<MetabaseSimulatorGroup> GetGroups()
    {
        lock (SyncRoot)
        {
            return [.. _groups.Values.OrderBy(g => g.Id).Select(g => g.ToSnapshot())];
        }
    }

    /// <summary>Gets the ids of the groups a user is in, ascending (All Users included).</summary>
    /// <param name="userId">The user id.</param>
    /// <returns>The group ids; empty for an unknown user.</returns>
    public IReadOnlyList<int> GetGroupIdsOfUser(int userId)
    {
        lock (SyncRoot)
        {
            return GroupIdsLocked(userId);
        }
    }

    /// <summary>Gets the ids of a group's members, active or not, ascending.</summary>
    /// <param name="groupId">The group id.</param>
    /// <returns>The user ids; empty for an unknown group.</returns>
    public IReadOnlyList<int> GetGroupMembers(int groupId)
    {
        lock (SyncRoot)
        {
            return [.. _memberships.Where(m => m.GroupId == groupId).Select(m => m.UserId).Order()];
        }
    }

    /// <summary>Gets the id of a user's membership of a group.</summary>
    /// <param name="userId">The user id.</param>
    /// <param name="groupId">The group id.</param>
    /// <returns>The membership id, or <see langword="null"/> when the user is not a member.</returns>
    public int? GetMembershipId(int userId, int groupId)
    {
        lock (SyncRoot)
        {
            return FindMembershipLocked(userId, groupId)?.Id;
        }
    }

    private UserRecord? FindUserLocked(string email)
    {
        var normalized = email.Trim();
        return _users.Values.FirstOrDefault(u => string.Equals(u.Email, normalized, StringComparison.OrdinalIgnoreCase));
    }

    private UserRecord RequireUserLocked(int userId)
        => _users.TryGetValue(userId, out var user) ? user : throw new InvalidOperationException($"No user has id {userId}.");

    private GroupRecord RequireGroupLocked(int groupId)
        => _groups.TryGetValue(groupId, out var group) ? group : throw new InvalidOperationException($"No group has id {groupId}.");

    private UserRecord CreateUserLocked(string email, string? firstName, string? lastName, string? password)
    {
        var user = new UserRecord(_nextUserId++, email.Trim().ToLowerInvariant(), firstName, lastName, TimeProvider.GetUtcNow()) { Password = password };
        _users[user.Id] = user;
        AddMembershipLocked(user.Id, AllUsersGroupId);
        return user;
    }

    private MembershipRecord? FindMembershipLocked(int userId, int groupId)
        => _memberships.FirstOrDefault(m => m.UserId == userId && m.GroupId == groupId);

    private MembershipRecord AddMembershipLocked(int userId, int groupId)
    {
        var membership = new MembershipRecord(_nextMembershipId++, userId, groupId);
        _memberships.Add(membership);
        if (groupId == AdministratorsGroupId)
        {
            _users[userId].IsSuperuser = true;
        }

        return membership;
    }

    private void RemoveMembershipLocked(MembershipRecord membership)
    {
        _memberships.Remove(membership);
        if (membership.GroupId == AdministratorsGroupId && _users.TryGetValue(membership.UserId, out var user))
        {
            user.IsSuperuser = false;
        }
    }

    private int[] GroupIdsLocked(int userId) => [.. _memberships.Where(m => m.UserId == userId).Select(m => m.GroupId).Order()];

    private sealed class UserRecord(int id, string email, string? firstName, string? lastName, DateTimeOffset dateJoined)
    {
        public int Id { get; } = id;

        public string Email { get; set; } = email;

        public string? FirstName { get; set; } = firstName;

        public string? LastName { get; set; } = lastName;

        public DateTimeOffset DateJoined { get; } = dateJoined;

        public DateTimeOffset UpdatedAt { get; set; } = dateJoined;

        public DateTimeOffset? LastLogin { get; set; }

        public bool IsActive { get; set; } = true;

        public bool IsSuperuser { get; set; }

        public string? Password { get; set; }

        public string CommonName
        {
            get
            {
                var name = $"{FirstName} {LastName}".Trim();
                return name.Length == 0 ? Email : name;
            }
        }

        public MetabaseSimulatorUser ToSnapshot() => new(Id, Email, FirstName, LastName, IsActive, IsSuperuser);
    }

    private sealed record GroupRecord(int Id, string Name, string? MagicGroupType)
    {
        public MetabaseSimulatorGroup ToSnapshot() => new(Id, Name, MagicGroupType);
    }

    private sealed record MembershipRecord(int Id, int UserId, int GroupId);
}
