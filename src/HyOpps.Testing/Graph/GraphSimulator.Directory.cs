using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace HyOpps.Testing.Graph;

/// <content>The directory: users, guest invitations and the new-guest visibility delay.</content>
public sealed partial class GraphSimulator
{
    private static readonly string[] InvitePermissions = ["User.Invite.All", "User.ReadWrite.All", "Directory.ReadWrite.All"];
    private static readonly string[] ReadUserPermissions = ["User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"];

    private readonly Dictionary<string, GraphUser> _users = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<GraphInvitation> _invitations = [];
    private readonly Dictionary<string, int> _invisible = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Adds a directory user.</summary>
    /// <param name="email">The email address (<c>mail</c>).</param>
    /// <param name="displayName">The display name; the email by default.</param>
    /// <param name="guest">Whether the user is a guest (<c>userType</c> Guest, pending acceptance) rather than a member.</param>
    /// <returns>The user.</returns>
    /// <exception cref="InvalidOperationException">A user with that email exists already.</exception>
    public GraphUser AddUser(string email, string? displayName = null, bool guest = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        lock (SyncRoot)
        {
            if (FindUserLocked(email) is not null)
            {
                throw new InvalidOperationException($"A user with the email '{email}' exists already.");
            }

            return CreateUserLocked(email.Trim(), displayName, guest);
        }
    }

    /// <summary>Finds a user by email (case-insensitive).</summary>
    /// <param name="email">The email address.</param>
    /// <returns>The user, or <see langword="null"/>.</returns>
    public GraphUser? FindUserByEmail(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        lock (SyncRoot)
        {
            return FindUserLocked(email);
        }
    }

    /// <summary>Gets every directory user.</summary>
    /// <returns>The users.</returns>
    public IReadOnlyList<GraphUser> GetUsers()
    {
        lock (SyncRoot)
        {
            return [.. _users.Values];
        }
    }

    /// <summary>Gets every invitation accepted through <c>POST /invitations</c>, in order.</summary>
    /// <returns>The invitations.</returns>
    public IReadOnlyList<GraphInvitation> GetInvitations()
    {
        lock (SyncRoot)
        {
            return [.. _invitations];
        }
    }

    /// <summary>Marks a guest's invitation as redeemed (<c>externalUserState</c> Accepted).</summary>
    /// <param name="userId">The user's object id.</param>
    /// <exception cref="KeyNotFoundException">No such user.</exception>
    public void RedeemInvitation(string userId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        lock (SyncRoot)
        {
            var user = _users.GetValueOrDefault(userId) ?? throw new KeyNotFoundException($"No user '{userId}'.");
            _users[userId] = user with { ExternalUserState = "Accepted" };
        }
    }

    /// <summary>Makes a user invisible to team and channel membership for the next <paramref name="attempts"/> add attempts.</summary>
    /// <param name="userId">The user's object id.</param>
    /// <param name="attempts">How many add attempts answer <see cref="InvisibleStatusCode"/>.</param>
    public void MakeInvisible(string userId, int attempts)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentOutOfRangeException.ThrowIfNegative(attempts);
        lock (SyncRoot)
        {
            _invisible[userId] = attempts;
        }
    }

    private GraphUser? FindUserLocked(string email)
        => _users.Values.FirstOrDefault(u => string.Equals(u.Mail, email.Trim(), StringComparison.OrdinalIgnoreCase));

    private GraphUser CreateUserLocked(string email, string? displayName, bool guest)
    {
        var id = Guid.NewGuid().ToString();
        var upn = guest
            ? $"{email.Replace('@', '_')}#EXT#@{TenantDomain}"
            : $"{email.Split('@')[0]}@{TenantDomain}";
        var user = new GraphUser(id, email, string.IsNullOrWhiteSpace(displayName) ? email : displayName, upn, guest ? "Guest" : "Member", guest ? "PendingAcceptance" : null);
        _users[id] = user;
        return user;
    }

    private void MapDirectory(WebApplication app)
    {
        app.MapGet("/v1.0/users", async context => await WriteResultAsync(context, ListUsers(context.Request)).ConfigureAwait(false));
        app.MapGet("/v1.0/users/{id}", async context =>
        {
            var id = (string)context.Request.RouteValues["id"]!;
            GraphResult result;
            if (!HasAnyPermission(ReadUserPermissions))
            {
                result = DirectoryDenied();
            }
            else
            {
                lock (SyncRoot)
                {
                    var user = _users.GetValueOrDefault(id)
                        ?? _users.Values.FirstOrDefault(u => string.Equals(u.UserPrincipalName, id, StringComparison.OrdinalIgnoreCase));
                    result = user is null
                        ? GraphResult.Error(404, "Request_ResourceNotFound", $"Resource '{id}' does not exist or one of its queried reference-property objects are not present.")
                        : GraphResult.Ok(200, UserNode(user, Select(context.Request), withContext: true));
                }
            }

            await WriteResultAsync(context, result).ConfigureAwait(false);
        });
        app.MapPost("/v1.0/invitations", async context =>
        {
            var body = await ReadJsonObjectAsync(context).ConfigureAwait(false);
            await WriteResultAsync(context, Invite(body)).ConfigureAwait(false);
        });
    }

    private GraphResult ListUsers(HttpRequest request)
    {
        if (!HasAnyPermission(ReadUserPermissions))
        {
            return DirectoryDenied();
        }

        Func<GraphUser, bool> match = static _ => true;
        var filter = request.Query["$filter"].ToString();
        if (filter.Length > 0 && !TryParseUserFilter(filter, out match))
        {
            return GraphResult.Error(400, "Request_UnsupportedQuery", $"Unsupported or invalid query filter clause specified for resource 'User': {filter}");
        }

        var select = Select(request);
        lock (SyncRoot)
        {
            var users = new JsonArray();
            foreach (var user in _users.Values.Where(match))
            {
                users.Add(UserNode(user, select, withContext: false));
            }

            return GraphResult.Ok(200, new JsonObject
            {
                ["@odata.context"] = $"{GraphBaseUrl}/$metadata#users",
                ["value"] = users,
            });
        }
    }

    private GraphResult Invite(JsonObject? body)
    {
        if (!HasAnyPermission(InvitePermissions))
        {
            return DirectoryDenied();
        }

        var email = body?["invitedUserEmailAddress"]?.GetValue<string>()?.Trim();
        var redirect = body?["inviteRedirectUrl"]?.GetValue<string>();
        if (string.IsNullOrEmpty(email))
        {
            return GraphResult.Error(400, "BadRequest", "Invitation: InvitedUserEmailAddress is required.");
        }

        if (!Regex.IsMatch(email, @"^[^@\s]+@[^@\s]+\.[^@\s]+$", RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            return GraphResult.Error(400, "BadRequest", "The specified email address is invalid.");
        }

        if (string.IsNullOrEmpty(redirect) || !Uri.TryCreate(redirect, UriKind.Absolute, out _))
        {
            return GraphResult.Error(400, "BadRequest", "Invitation: InviteRedirectUrl is required and must be an absolute URL.");
        }

        var send = body?["sendInvitationMessage"]?.GetValue<bool>() ?? false;
        var displayName = body?["invitedUserDisplayName"]?.GetValue<string>();
        lock (SyncRoot)
        {
            // Re-inviting an existing user answers the same user object, as Graph does.
            var user = FindUserLocked(email);
            if (user is null)
            {
                user = CreateUserLocked(email, displayName, guest: true);
                if (NewGuestInvisibleAttempts > 0)
                {
                    _invisible[user.Id] = NewGuestInvisibleAttempts;
                }
            }

            var status = user.ExternalUserState == "PendingAcceptance" ? "PendingAcceptance" : "Completed";
            var invitation = new GraphInvitation(Guid.NewGuid().ToString(), email, user.Id, redirect, send, status);
            _invitations.Add(invitation);
            var ticket = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
            var redeem = "https://login.microsoftonline.com/redeem?rd=" + Uri.EscapeDataString(
                $"https://invitations.microsoft.com/redeem/?tenant={TenantId}&user={invitation.Id}&ticket={ticket}&ver=2.0");
            return GraphResult.Ok(201, new JsonObject
            {
                ["@odata.context"] = $"{GraphBaseUrl}/$metadata#invitations/$entity",
                ["id"] = invitation.Id,
                ["inviteRedeemUrl"] = redeem,
                ["invitedUserDisplayName"] = displayName,
                ["invitedUserType"] = user.UserType,
                ["invitedUserEmailAddress"] = email,
                ["sendInvitationMessage"] = send,
                ["resetRedemption"] = false,
                ["inviteRedirectUrl"] = redirect,
                ["status"] = status,
                ["invitedUserMessageInfo"] = new JsonObject
                {
                    ["messageLanguage"] = null,
                    ["ccRecipients"] = new JsonArray(new JsonObject { ["emailAddress"] = new JsonObject { ["name"] = null, ["address"] = null } }),
                    ["customizedMessageBody"] = null,
                },
                ["invitedUser"] = new JsonObject { ["id"] = user.Id },
            });
        }
    }

    private JsonObject UserNode(GraphUser user, IReadOnlySet<string>? select, bool withContext)
    {
        var node = new JsonObject();
        if (withContext)
        {
            node["@odata.context"] = $"{GraphBaseUrl}/$metadata#users/$entity";
        }

        void Add(string name, JsonNode? value)
        {
            if (select is null || select.Contains(name))
            {
                node[name] = value;
            }
        }

        Add("id", user.Id);
        Add("displayName", user.DisplayName);
        Add("mail", user.Mail);
        Add("userPrincipalName", user.UserPrincipalName);
        Add("userType", user.UserType);
        Add("externalUserState", user.ExternalUserState);
        Add("otherMails", new JsonArray());
        return node;
    }

    private static HashSet<string>? Select(HttpRequest request)
    {
        var select = request.Query["$select"].ToString();
        return select.Length == 0
            ? null
            : new HashSet<string>(select.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.OrdinalIgnoreCase) { "id" };
    }

    // Supports what HyOpps and typical clients send: "mail eq 'x'", "userPrincipalName eq 'x'", "otherMails/any(m:m eq 'x')", joined by "or".
    private static bool TryParseUserFilter(string filter, out Func<GraphUser, bool> match)
    {
        var clauses = new List<Func<GraphUser, bool>>();
        var position = 0;
        while (position < filter.Length)
        {
            var m = UserFilterClause().Match(filter, position);
            if (!m.Success || m.Index != position)
            {
                match = static _ => false;
                return false;
            }

            if (m.Groups["prop"].Success)
            {
                var property = m.Groups["prop"].Value;
                var value = m.Groups["value"].Value.Replace("''", "'", StringComparison.Ordinal);
                clauses.Add(u => string.Equals(property.ToLower(CultureInfo.InvariantCulture) switch
                {
                    "mail" => u.Mail,
                    "userprincipalname" => u.UserPrincipalName,
                    "displayname" => u.DisplayName,
                    "usertype" => u.UserType,
                    _ => u.Id,
                }, value, StringComparison.OrdinalIgnoreCase));
            }
            else
            {
                var value = m.Groups["other"].Value.Replace("''", "'", StringComparison.Ordinal);

                // Simulated users have no other addresses than mail, which Graph also lists in otherMails for invited guests.
                clauses.Add(u => u.IsGuest && string.Equals(u.Mail, value, StringComparison.OrdinalIgnoreCase));
            }

            position = m.Index + m.Length;
        }

        match = u => clauses.Any(c => c(u));
        return clauses.Count > 0;
    }

    [GeneratedRegex(@"\G\s*(?:(?<prop>mail|userPrincipalName|displayName|userType|id)\s+eq\s+'(?<value>(?:[^']|'')*)'|otherMails/any\((?<var>\w+):\s*\k<var>\s+eq\s+'(?<other>(?:[^']|'')*)'\))\s*(?:\bor\b\s*|$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UserFilterClause();
}
