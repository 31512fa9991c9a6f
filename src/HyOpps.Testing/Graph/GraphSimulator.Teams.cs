using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace HyOpps.Testing.Graph;

/// <content>Teams: teams, channels and their members.</content>
public sealed partial class GraphSimulator
{
    private const string MemberType = "#microsoft.graph.aadUserConversationMember";
    private static readonly string[] TeamReadPermissions = ["TeamMember.Read.All", "TeamMember.ReadWrite.All", "TeamMember.ReadWriteNonOwnerRole.All"];
    private static readonly string[] TeamWritePermissions = ["TeamMember.ReadWrite.All", "TeamMember.ReadWriteNonOwnerRole.All"];
    private static readonly string[] ChannelReadPermissions = ["ChannelMember.Read.All", "ChannelMember.ReadWrite.All"];
    private static readonly string[] ChannelWritePermissions = ["ChannelMember.ReadWrite.All"];

    private readonly Dictionary<string, Team> _teams = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates a team (its id is the Microsoft 365 group id).</summary>
    /// <param name="displayName">The team's name.</param>
    /// <returns>The team id.</returns>
    public string CreateTeam(string displayName = "Partner team")
    {
        ArgumentNullException.ThrowIfNull(displayName);
        lock (SyncRoot)
        {
            var team = new Team(Guid.NewGuid().ToString(), displayName);
            _teams[team.Id] = team;
            return team.Id;
        }
    }

    /// <summary>Creates a channel in a team.</summary>
    /// <param name="teamId">The team id.</param>
    /// <param name="displayName">The channel's name.</param>
    /// <param name="membershipType">Private by default; only private and shared channels have members of their own.</param>
    /// <returns>The channel id, like <c>19:…@thread.tacv2</c>.</returns>
    /// <exception cref="KeyNotFoundException">No such team.</exception>
    public string CreateChannel(string teamId, string displayName = "Partner channel", GraphChannelMembershipType membershipType = GraphChannelMembershipType.Private)
    {
        ArgumentNullException.ThrowIfNull(displayName);
        lock (SyncRoot)
        {
            var team = GetTeamLocked(teamId);
            var channel = new Channel($"19:{Guid.NewGuid():N}@thread.tacv2", displayName, membershipType);
            team.Channels[channel.Id] = channel;
            return channel.Id;
        }
    }

    /// <summary>Adds a user to a team directly (seeding); a guest gets the <c>guest</c> role.</summary>
    /// <param name="teamId">The team id.</param>
    /// <param name="userId">The user's object id.</param>
    /// <param name="owner">Whether the user is an owner.</param>
    /// <returns>The membership.</returns>
    /// <exception cref="KeyNotFoundException">No such team or user.</exception>
    public GraphConversationMember AddTeamMember(string teamId, string userId, bool owner = false)
    {
        lock (SyncRoot)
        {
            var team = GetTeamLocked(teamId);
            var user = _users.GetValueOrDefault(userId) ?? throw new KeyNotFoundException($"No user '{userId}'.");
            var member = team.Members.FirstOrDefault(m => m.UserId == user.Id) ?? AddMemberLocked(team.Members, team.Id, null, user, owner ? ["owner"] : []);
            return ToMember(member);
        }
    }

    /// <summary>Gets the members of a team.</summary>
    /// <param name="teamId">The team id.</param>
    /// <returns>The members.</returns>
    /// <exception cref="KeyNotFoundException">No such team.</exception>
    public IReadOnlyList<GraphConversationMember> GetTeamMembers(string teamId)
    {
        lock (SyncRoot)
        {
            return [.. GetTeamLocked(teamId).Members.Select(ToMember)];
        }
    }

    /// <summary>Gets the members of a channel: its own for private and shared channels, the team's for standard ones.</summary>
    /// <param name="teamId">The team id.</param>
    /// <param name="channelId">The channel id.</param>
    /// <returns>The members.</returns>
    /// <exception cref="KeyNotFoundException">No such team or channel.</exception>
    public IReadOnlyList<GraphConversationMember> GetChannelMembers(string teamId, string channelId)
    {
        lock (SyncRoot)
        {
            var team = GetTeamLocked(teamId);
            var channel = team.Channels.GetValueOrDefault(channelId) ?? throw new KeyNotFoundException($"No channel '{channelId}' in team '{teamId}'.");
            return [.. ChannelMembersLocked(team, channel).Select(ToMember)];
        }
    }

    private Team GetTeamLocked(string teamId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(teamId);
        return _teams.GetValueOrDefault(teamId) ?? throw new KeyNotFoundException($"No team '{teamId}'.");
    }

    private static List<Member> ChannelMembersLocked(Team team, Channel channel)
        => channel.MembershipType == GraphChannelMembershipType.Standard ? team.Members : channel.Members;

    private Member AddMemberLocked(List<Member> members, string teamId, string? channelId, GraphUser user, IReadOnlyList<string> roles)
    {
        var id = Convert.ToBase64String(Encoding.UTF8.GetBytes($"1#{teamId}#{channelId}#{user.Id}")).Replace('+', '-').Replace('/', '_');
        var stored = roles.Where(r => !string.Equals(r, "guest", StringComparison.OrdinalIgnoreCase)).ToList();
        if (user.IsGuest)
        {
            stored.Add("guest");
        }

        var member = new Member(id, user.Id, stored);
        members.Add(member);
        return member;
    }

    private GraphConversationMember ToMember(Member member)
    {
        var user = _users.GetValueOrDefault(member.UserId);
        return new GraphConversationMember(member.Id, member.UserId, user?.DisplayName ?? string.Empty, user?.Mail ?? string.Empty, [.. member.Roles]);
    }

    private JsonObject MemberNode(Member member, string? context)
    {
        var user = _users.GetValueOrDefault(member.UserId);
        var node = new JsonObject();
        if (context is not null)
        {
            node["@odata.context"] = context;
        }

        node["@odata.type"] = MemberType;
        node["id"] = member.Id;
        node["roles"] = new JsonArray([.. member.Roles.Select(r => (JsonNode)r)]);
        node["displayName"] = user?.DisplayName;
        node["visibleHistoryStartDateTime"] = "0001-01-01T00:00:00Z";
        node["userId"] = member.UserId;
        node["email"] = user?.Mail;
        node["tenantId"] = TenantId;
        return node;
    }

    private void MapTeams(WebApplication app)
    {
        app.MapGet("/v1.0/teams/{teamId}/members", context => Respond(context, () => ListMembers(context.Request, channelId: null)));
        app.MapGet("/v1.0/teams/{teamId}/channels/{channelId}/members", context => Respond(context, () => ListMembers(context.Request, (string)context.Request.RouteValues["channelId"]!)));
        app.MapPost("/v1.0/teams/{teamId}/members", async context =>
        {
            var body = await ReadJsonObjectAsync(context).ConfigureAwait(false);
            await WriteResultAsync(context, AddMember(context.Request, body, channelId: null)).ConfigureAwait(false);
        });
        app.MapPost("/v1.0/teams/{teamId}/channels/{channelId}/members", async context =>
        {
            var body = await ReadJsonObjectAsync(context).ConfigureAwait(false);
            await WriteResultAsync(context, AddMember(context.Request, body, (string)context.Request.RouteValues["channelId"]!)).ConfigureAwait(false);
        });
        app.MapGet("/v1.0/teams/{teamId}/members/{membershipId}", context => Respond(context, () => GetMember(context.Request, null)));
        app.MapGet("/v1.0/teams/{teamId}/channels/{channelId}/members/{membershipId}", context => Respond(context, () => GetMember(context.Request, (string)context.Request.RouteValues["channelId"]!)));
        app.MapDelete("/v1.0/teams/{teamId}/members/{membershipId}", context => Respond(context, () => RemoveMember(context.Request, null)));
        app.MapDelete("/v1.0/teams/{teamId}/channels/{channelId}/members/{membershipId}", context => Respond(context, () => RemoveMember(context.Request, (string)context.Request.RouteValues["channelId"]!)));
        app.MapGet("/v1.0/teams/{teamId}/channels/{channelId}", context => Respond(context, () => GetChannel(context.Request)));
    }

    private Task Respond(HttpContext context, Func<GraphResult> handler) => WriteResultAsync(context, handler());

    private bool TryFindContainer(HttpRequest request, string? channelId, out Team team, out Channel? channel, out GraphResult? error)
    {
        var teamId = (string)request.RouteValues["teamId"]!;
        channel = null;
        error = null;
        if (!_teams.TryGetValue(teamId, out team!))
        {
            error = GraphResult.Error(404, "NotFound", $"No team found with Group Id {teamId}");
            return false;
        }

        if (channelId is not null && !team.Channels.TryGetValue(channelId, out channel))
        {
            error = GraphResult.Error(404, "NotFound", $"Channel {channelId} was not found in team {teamId}.");
            return false;
        }

        return true;
    }

    private GraphResult ListMembers(HttpRequest request, string? channelId)
    {
        if (channelId is null ? !HasAnyPermission(TeamReadPermissions) : !HasAnyPermission(ChannelReadPermissions))
        {
            return channelId is null ? TeamsDenied(TeamReadPermissions) : TeamsDenied(ChannelReadPermissions);
        }

        Func<Member, bool> match = static _ => true;
        var filter = request.Query["$filter"].ToString();
        if (filter.Length > 0)
        {
            var m = MemberFilter().Match(filter);
            if (!m.Success)
            {
                return GraphResult.Error(400, "BadRequest", $"Filter expression '{filter}' is not supported.");
            }

            var property = m.Groups["prop"].Value;
            var value = m.Groups["value"].Value.Replace("''", "'", StringComparison.Ordinal);
            match = member => string.Equals(
                string.Equals(property, "userId", StringComparison.OrdinalIgnoreCase) ? member.UserId : _users.GetValueOrDefault(member.UserId)?.Mail,
                value,
                StringComparison.OrdinalIgnoreCase);
        }

        var top = int.TryParse(request.Query["$top"], NumberStyles.None, CultureInfo.InvariantCulture, out var t) && t > 0 ? t : Math.Max(1, MembersPageSize);
        var skip = int.TryParse(request.Query["$skiptoken"], NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
        lock (SyncRoot)
        {
            if (!TryFindContainer(request, channelId, out var team, out var channel, out var error))
            {
                return error!;
            }

            var all = (channel is null ? team.Members : ChannelMembersLocked(team, channel)).Where(match).ToList();
            var page = all.Skip(skip).Take(top).ToList();
            var path = channel is null ? $"teams/{team.Id}/members" : $"teams/{team.Id}/channels/{Uri.EscapeDataString(channel.Id)}/members";
            var body = new JsonObject
            {
                ["@odata.context"] = $"{GraphBaseUrl}/$metadata#{path}",
                ["@odata.count"] = all.Count,
                ["value"] = new JsonArray([.. page.Select(m => (JsonNode)MemberNode(m, null))]),
            };
            if (skip + page.Count < all.Count)
            {
                body["@odata.nextLink"] = $"{GraphBaseUrl}/{path}?$top={top}&$skiptoken={skip + page.Count}";
            }

            return GraphResult.Ok(200, body);
        }
    }

    private GraphResult AddMember(HttpRequest request, JsonObject? body, string? channelId)
    {
        if (channelId is null ? !HasAnyPermission(TeamWritePermissions) : !HasAnyPermission(ChannelWritePermissions))
        {
            return channelId is null ? TeamsDenied(TeamWritePermissions) : TeamsDenied(ChannelWritePermissions);
        }

        if (body is null || body["@odata.type"]?.GetValue<string>() is not { } type || !string.Equals(type, MemberType, StringComparison.OrdinalIgnoreCase))
        {
            return GraphResult.Error(400, "BadRequest", $"The request body must be a conversationMember with \"@odata.type\": \"{MemberType}\".");
        }

        var bind = body["user@odata.bind"]?.GetValue<string>();
        var bound = bind is null ? null : UserBind().Match(bind);
        if (bound is null || !bound.Success)
        {
            return GraphResult.Error(400, "BadRequest", "Bind requests expected a user reference: \"user@odata.bind\": \"https://graph.microsoft.com/v1.0/users('<id>')\".");
        }

        var userId = Uri.UnescapeDataString(bound.Groups["id"].Value);
        var roles = body["roles"] is JsonArray array ? array.Select(r => r?.GetValue<string>() ?? string.Empty).Where(r => r.Length > 0).ToList() : [];
        lock (SyncRoot)
        {
            if (!TryFindContainer(request, channelId, out var team, out var channel, out var error))
            {
                return error!;
            }

            var user = _users.GetValueOrDefault(userId)
                ?? _users.Values.FirstOrDefault(u => string.Equals(u.UserPrincipalName, userId, StringComparison.OrdinalIgnoreCase));
            if (user is not null && _invisible.TryGetValue(user.Id, out var remaining) && remaining > 0)
            {
                _invisible[user.Id] = remaining - 1;
                return InvisibleStatusCode == 400
                    ? GraphResult.Error(400, "BadRequest", "Not a valid reference update.")
                    : GraphResult.Error(404, "NotFound", $"Resource '{userId}' does not exist or one of its queried reference-property objects are not present.");
            }

            if (user is null)
            {
                return GraphResult.Error(404, "NotFound", $"Resource '{userId}' does not exist or one of its queried reference-property objects are not present.");
            }

            if (user.IsGuest && roles.Contains("owner", StringComparer.OrdinalIgnoreCase))
            {
                return GraphResult.Error(400, "BadRequest", "Guest users cannot be added as owners.");
            }

            List<Member> members;
            var context = $"{GraphBaseUrl}/$metadata#teams('{team.Id}')/members/$entity";
            if (channel is null)
            {
                members = team.Members;
            }
            else if (channel.MembershipType == GraphChannelMembershipType.Standard)
            {
                return GraphResult.Error(400, "BadRequest", "Members cannot be added to a standard channel: every member of the team is a member of its standard channels.");
            }
            else if (channel.MembershipType == GraphChannelMembershipType.Private && team.Members.All(m => m.UserId != user.Id))
            {
                return GraphResult.Error(400, "BadRequest", $"User '{user.Id}' is not a member of the team; add the user to team '{team.Id}' first.");
            }
            else
            {
                members = channel.Members;
                context = $"{GraphBaseUrl}/$metadata#teams('{team.Id}')/channels('{channel.Id}')/members/$entity";
            }

            // Adding an existing member answers 201 with the membership again, as Graph was seen to do.
            var member = members.FirstOrDefault(m => m.UserId == user.Id) ?? AddMemberLocked(members, team.Id, channel?.Id, user, roles);
            return GraphResult.Ok(201, MemberNode(member, context));
        }
    }

    private GraphResult GetMember(HttpRequest request, string? channelId)
    {
        if (channelId is null ? !HasAnyPermission(TeamReadPermissions) : !HasAnyPermission(ChannelReadPermissions))
        {
            return channelId is null ? TeamsDenied(TeamReadPermissions) : TeamsDenied(ChannelReadPermissions);
        }

        var membershipId = (string)request.RouteValues["membershipId"]!;
        lock (SyncRoot)
        {
            if (!TryFindContainer(request, channelId, out var team, out var channel, out var error))
            {
                return error!;
            }

            var member = (channel is null ? team.Members : ChannelMembersLocked(team, channel)).FirstOrDefault(m => m.Id == membershipId);
            return member is null
                ? GraphResult.Error(404, "NotFound", $"Member {membershipId} was not found.")
                : GraphResult.Ok(200, MemberNode(member, null));
        }
    }

    private GraphResult RemoveMember(HttpRequest request, string? channelId)
    {
        if (channelId is null ? !HasAnyPermission(TeamWritePermissions) : !HasAnyPermission(ChannelWritePermissions))
        {
            return channelId is null ? TeamsDenied(TeamWritePermissions) : TeamsDenied(ChannelWritePermissions);
        }

        var membershipId = (string)request.RouteValues["membershipId"]!;
        lock (SyncRoot)
        {
            if (!TryFindContainer(request, channelId, out var team, out var channel, out var error))
            {
                return error!;
            }

            var members = channel is null ? team.Members : channel.Members;
            var member = members.FirstOrDefault(m => m.Id == membershipId);
            if (member is null)
            {
                return GraphResult.Error(404, "NotFound", $"Member {membershipId} was not found.");
            }

            members.Remove(member);
            if (channel is null)
            {
                // Leaving a team also leaves its private channels.
                foreach (var c in team.Channels.Values.Where(c => c.MembershipType == GraphChannelMembershipType.Private))
                {
                    c.Members.RemoveAll(m => m.UserId == member.UserId);
                }
            }

            return GraphResult.Ok(204, null);
        }
    }

    private GraphResult GetChannel(HttpRequest request)
    {
        var channelId = (string)request.RouteValues["channelId"]!;
        lock (SyncRoot)
        {
            if (!TryFindContainer(request, channelId, out var team, out var channel, out var error))
            {
                return error!;
            }

            return GraphResult.Ok(200, new JsonObject
            {
                ["@odata.context"] = $"{GraphBaseUrl}/$metadata#teams('{team.Id}')/channels/$entity",
                ["id"] = channel!.Id,
                ["displayName"] = channel.DisplayName,
                ["membershipType"] = channel.MembershipType switch
                {
                    GraphChannelMembershipType.Private => "private",
                    GraphChannelMembershipType.Shared => "shared",
                    _ => "standard",
                },
            });
        }
    }

    [GeneratedRegex(@"^\s*\(?\s*microsoft\.graph\.aadUserConversationMember/(?<prop>userId|email)\s+eq\s+'(?<value>(?:[^']|'')*)'\s*\)?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MemberFilter();

    [GeneratedRegex(@"users\('(?<id>[^']+)'\)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UserBind();

    private sealed class Team(string id, string displayName)
    {
        public string Id { get; } = id;

        public string DisplayName { get; } = displayName;

        public List<Member> Members { get; } = [];

        public Dictionary<string, Channel> Channels { get; } = new(StringComparer.OrdinalIgnoreCase);
    }

    private sealed class Channel(string id, string displayName, GraphChannelMembershipType membershipType)
    {
        public string Id { get; } = id;

        public string DisplayName { get; } = displayName;

        public GraphChannelMembershipType MembershipType { get; } = membershipType;

        public List<Member> Members { get; } = [];
    }

    private sealed record Member(string Id, string UserId, IReadOnlyList<string> Roles);
}
